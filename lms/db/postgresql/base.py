"""Django's PostgreSQL backend, with a persistent connection checked without a round trip
while nothing says it died.

With `CONN_HEALTH_CHECKS`, Django pings a persistent connection (`SELECT 1`, a round trip
and PostgreSQL's own work) before the first query of every request, so that a database
restarted since the last request costs one failed ping, not a 500. A server that ends a
connection (a restart, a terminated backend, a crash of its process) closes its socket,
and an idle connection's socket then has something to read (the server's last message,
or the end of the stream). So, before the first query of a request, an idle connection whose socket
has nothing to read is alive as far as the server said: its ping is skipped. One with
anything to read, or not idle, is pinged by Django as before. (`ENGINE` is set to this
backend by `lms/settings/base.py` for a PostgreSQL `DATABASE_URL`.)
"""

import select

from django.db.backends.postgresql import base


def _quiet(raw) -> bool:
    """The idle connection's socket has nothing to read: the server has not closed it."""
    from psycopg.pq import TransactionStatus

    try:
        if raw.closed or raw.info.transaction_status != TransactionStatus.IDLE:
            return False
        poll = select.poll()
        poll.register(raw.fileno(), select.POLLIN | select.POLLPRI)
        return not poll.poll(0)
    except Exception:  # anything unexpected: Django pings, as before
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self.in_atomic_block
            and _quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
