"""A persistent connection pinged only when its socket says the server may have ended it
(lms/db/postgresql/base.py): no round trip for a live one, a terminated one replaced, not a 500."""

import time

from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import connections

from lms.db.postgresql.base import _quiet

# The connection is looked up when the test runs (not when this module is imported): the
# wrapper of the thread and context running the test is the one the ORM uses, also after
# browser tests have run an event loop in this thread.


def _persistent(monkeypatch) -> list:
    """Production's connection settings for this test; the pings Django sends, counted."""
    connection = connections["default"]
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.close()
    connection.ensure_connection()
    pings = []
    is_usable = type(connection).is_usable

    def counted(self):
        pings.append(self.alias)
        return is_usable(self)

    monkeypatch.setattr(type(connection), "is_usable", counted)
    return pings


def _request() -> int:
    request_started.send(sender=None)
    try:
        return get_user_model().objects.count()
    finally:
        request_finished.send(sender=None)


def test_a_live_connection_is_not_pinged_and_an_ended_one_is_replaced(
    transactional_db, monkeypatch
):
    connection = connections["default"]
    pings = _persistent(monkeypatch)
    _request()
    _request()
    if connection.vendor != "postgresql":  # left to Django, as before
        assert len(pings) >= 2
        return
    assert pings == []  # alive: no `SELECT 1` before the request's first query
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    deadline = time.monotonic() + 5
    while _quiet(connection.connection) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _request() >= 0  # pinged, found dead, reconnected: the request is served
    assert pings == ["default"]
    assert connection.connection.info.backend_pid != pid
