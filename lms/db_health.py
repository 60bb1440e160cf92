"""A persistent PostgreSQL connection checked without a round trip while nothing says it died.

With `CONN_HEALTH_CHECKS`, Django pings a persistent connection (`SELECT 1`, a round trip
and PostgreSQL's own work) before the first query of every request, so that a database
restarted since the last request costs one failed ping, not a 500. A server that ends a
connection (a restart, a terminated backend, a crash of its process) closes its socket,
and an idle connection's socket then has something to read (the server's last message,
or the end of the stream). So, at the start of a request, an idle connection whose socket
has nothing to read is alive as far as the server said: its ping is skipped. One with
anything to read, not idle, or not a PostgreSQL one is pinged by Django as before.
"""

import select

from django.core.signals import request_started
from django.db import connections


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


def ping_skipped_when_quiet(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "postgresql"
            and connection.connection is not None
            and connection.health_check_enabled
            and not connection.health_check_done
            and not connection.in_atomic_block
            and _quiet(connection.connection)
        ):
            connection.health_check_done = True


def connect() -> None:
    # After Django's own receiver (connected when django.db is imported), which marks
    # every persistent connection to be pinged.
    request_started.connect(ping_skipped_when_quiet, dispatch_uid="atelier-db-health")
