"""The recorder: the readings of all a worker's followers, written together.

Readings are fed as OctoPrint's push socket shapes them (`current` messages, events) to
the same functions the follower calls; the writes go to the real database.
"""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practicals.models import PrintAttempt, Printer, PrinterLease
from practicals.services.following import _Follower
from practicals.services.leases import Held, printer_lease_acquire
from practicals.services.printing import remote_name
from practicals.services.readings import Live, live_current
from practicals.services.recording import Followed, Recorder, readings_write
from practicals.services.telemetry import TelemetryBuffer, attempt_series
from tests.fixtures.practicals import pla
from tests.fixtures.progress import booking_under_way
from tests.practicals.test_printing import _attempt_recorded

State = PrintAttempt.State


def _current(attempt, *, at: float, nozzle: float, z: float = 0.2) -> dict:
    """A `current` message as OctoPrint sends it while printing `attempt`'s file."""
    return {
        "state": {"text": "Printing", "flags": {"printing": True}},
        "job": {"file": {"name": remote_name(attempt)}},
        "progress": {"completion": 10.0, "printTime": int(at), "printTimeLeft": 300},
        "currentZ": z,
        "resends": {"count": 0},
        "temps": [
            {
                "time": attempt.started_at.timestamp() + at,
                "tool0": {"actual": nozzle, "target": 210.0},
                "bed": {"actual": 60.0, "target": 60.0},
            }
        ],
    }


def _followed(attempt, holder: str) -> Followed:
    """A follower's share, as `_Follower` builds it, with its printer's lease taken."""
    assert printer_lease_acquire(printer_id=attempt.printer_id, holder=holder)
    held = Held(printer_id=attempt.printer_id, holder=holder)
    live = Live(attempt=attempt, buffer=TelemetryBuffer.for_attempt(attempt), fields={})
    return Followed(printer_id=attempt.printer_id, held=held, lock=threading.RLock(), live=live)


@pytest.fixture
def printing(course, trainee, farm):
    """Three printers, each printing an attempt for the trainee."""
    attempts = []
    for index in range(3):
        printer = Printer.objects.create(
            farm=farm,
            name=f"Suivie {index}",
            octoprint_url=f"http://127.0.0.1:{9 + index}",
            api_key="z" * 43,
            material=pla(),
        )
        booking = booking_under_way(course=course, user=trainee, printer=printer)
        attempts.append(_attempt_recorded(booking, state=State.PRINTING, started_at=timezone.now()))
    return attempts


def _round(recorder: Recorder) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        recorder.write()
    return [query["sql"] for query in queries.captured_queries]


def test_one_round_writes_each_attempts_readings_to_it_in_as_many_statements_for_all(printing):
    recorder = Recorder(every=3600)  # rounds run by hand here
    followed = [_followed(attempt, f"suiveur-{i}") for i, attempt in enumerate(printing)]
    one = followed[:1]
    for f in followed:
        recorder.add(f)
    try:
        for second in (1, 2):
            for i, f in enumerate(followed):
                live_current(f.live, _current(f.live.attempt, at=second, nozzle=200.0 + i))
        _round(recorder)  # the first round creates each attempt's minute row
        for i, f in enumerate(followed):
            live_current(f.live, _current(f.live.attempt, at=3, nozzle=200.0 + i, z=0.4))
        all_three = _round(recorder)
        for f in followed[1:]:
            recorder.remove(f)
        live_current(one[0].live, _current(one[0].live.attempt, at=4, nozzle=200.0, z=0.6))
        alone = _round(recorder)
    finally:
        for f in followed:
            recorder.remove(f)

    # Three printers cost what one costs: the same statements, more rows each.
    assert len(all_three) == len(alone)
    for i, attempt in enumerate(printing):
        series = attempt_series(attempt_id=attempt.pk)
        expected = [1.0, 2.0, 3.0, 4.0] if i == 0 else [1.0, 2.0, 3.0]
        assert series.t == expected
        assert set(series.nozzle) == {200.0 + i}  # its own readings, no one else's
        assert [value for _, kind, value in series.marks if kind == "z"] == expected_z(i)
        assert attempt.telemetry.count() == 1  # one row a minute
        attempt.refresh_from_db()
        assert attempt.nozzle_actual == 200.0 + i and attempt.print_time_s == (4 if i == 0 else 3)
        assert attempt.followed_at is not None
    assert not any(f.live.buffer or f.live.fields for f in followed)  # all written


def expected_z(index: int) -> list[float]:
    return [0.2, 0.4, 0.6] if index == 0 else [0.2, 0.4]


def test_a_follower_that_lost_its_lease_writes_nothing_and_is_told(printing):
    recorder = Recorder(every=3600)
    kept, robbed = _followed(printing[0], "gardien"), _followed(printing[1], "volé")
    for f in (kept, robbed):
        recorder.add(f)
        live_current(f.live, _current(f.live.attempt, at=1, nozzle=205.0))
    PrinterLease.objects.filter(printer_id=robbed.printer_id).update(holder="successeur")
    try:
        recorder.write()
    finally:
        recorder.remove(kept)
        recorder.remove(robbed)

    assert robbed.held.lost.is_set() and not kept.held.lost.is_set()
    assert attempt_series(attempt_id=printing[0].pk).t == [1.0]
    assert not printing[1].telemetry.exists()  # its successor writes, not it
    assert PrintAttempt.objects.get(pk=printing[1].pk).nozzle_actual is None


def test_a_follower_busy_writing_on_its_own_is_left_for_the_next_round(printing):
    recorder = Recorder(every=3600)
    free, busy = _followed(printing[0], "libre"), _followed(printing[1], "occupé")
    for f in (free, busy):
        recorder.add(f)
        live_current(f.live, _current(f.live.attempt, at=1, nozzle=205.0))
    taken, release = threading.Event(), threading.Event()

    def hold():  # the follower's own thread, in the middle of its own write
        with busy.lock:
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(10)
        recorder.write()
        assert attempt_series(attempt_id=printing[0].pk).t == [1.0]
        assert not printing[1].telemetry.exists()
        release.set()
        holder.join(10)
        recorder.write()
    finally:
        release.set()
        recorder.remove(free)
        recorder.remove(busy)
    assert attempt_series(attempt_id=printing[1].pk).t == [1.0]  # written, once


def test_an_ending_writes_the_last_readings_first_and_happens_once(printing):
    attempt = printing[0]
    assert printer_lease_acquire(printer_id=attempt.printer_id, holder="suiveur")
    held = Held(printer_id=attempt.printer_id, holder="suiveur")
    follower = _Follower(printer_id=attempt.printer_id, held=held, stop=threading.Event())
    recorder = Recorder(every=3600)
    recorder.add(follower.followed)
    try:
        follower._check()  # finds the attempt printing
        follower._current(_current(attempt, at=1, nozzle=205.0))
        recorder.write()
        stale = follower.live
        follower._current(_current(attempt, at=2, nozzle=206.0))  # not yet written...
        follower._event({"type": "PrintDone", "payload": {"name": remote_name(attempt)}})
        assert follower.live is None
        # ...but written before the ending; and a write of the stale live afterwards
        # (a recorder round that took it just before) changes nothing of the ended attempt.
        live_current(stale, _current(attempt, at=3, nozzle=150.0))
        readings_write([Followed(attempt.printer_id, held, threading.RLock(), stale)])
        recorder.write()
    finally:
        recorder.remove(follower.followed)
    attempt.refresh_from_db()
    assert attempt.state == State.COMPLETED and attempt.progress == 100.0
    assert attempt.nozzle_actual == 206.0  # the last reading before the ending
    assert [e.to_state for e in attempt.events.all()] == [State.COMPLETED]
    series = attempt_series(attempt_id=attempt.pk)
    assert series.t[:2] == [1.0, 2.0] and series.t == sorted(set(series.t))


def test_the_recorder_thread_writes_by_itself_and_stops_with_its_last_follower(
    transactional_db, printing
):
    recorder = Recorder(every=0.05)
    f = _followed(printing[0], "suiveur")
    live_current(f.live, _current(printing[0], at=1, nozzle=205.0))
    recorder.add(f)
    try:
        deadline = time.monotonic() + 10
        while f.live.buffer and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        recorder.remove(f)
    assert not f.live.buffer
    thread = recorder._thread
    if thread is not None:
        thread.join(5)
        assert not thread.is_alive()
