"""One follower per printer, on real OctoPrint Virtual Printers and real Celery workers.

Faults are real: an OctoPrint process killed in the middle of a print and started again,
a Celery worker killed (SIGKILL) mid-print and replaced, two workers racing to follow the
same printer.
"""

import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from lms.celery import worker_argv
from practicals.models import PrintAttempt, Printer, PrinterLease
from practicals.octoprint import client
from practicals.services import attempt_cancel, attempt_create
from practicals.services.bed import bed_clear_confirm
from practicals.services.leases import LeaseKeeper, printer_lease_acquire
from practicals.services.printing import remote_name
from practicals.services.telemetry import attempt_series
from practicals.tasks import printer_follow_task
from tests.fixtures.practicals import GCODE_QUICK, lukewarm
from tests.fixtures.progress import booking_under_way
from tests.practicals.test_printing import _attempt_recorded, _finished
from tests.waiting import wait_for

State = PrintAttempt.State
ROOT = Path(__file__).resolve().parents[2]

# Heats (nozzle 60 °C, bed 50 °C), then about 15 s of moves over four layers.
GCODE_HEATED = "\n".join(
    ["M104 S60", "M140 S50", "M109 S60", "M190 S50", "G28"]
    + [f"G1 X{10 + i % 50} Y{10 + i % 40} Z{0.2 + (i // 50) * 0.2:.1f} F3000" for i in range(200)]
    + ["M104 S0", "M140 S0", ""]
).encode()
# Heats, then about 80 s of long diagonal moves (the Virtual Printer moves at 10 % of real
# time): time enough to break things in the middle.
GCODE_LONG = "\n".join(
    ["M104 S60", "M109 S60", "G28"]
    + [f"G1 X{10 + (i % 2) * 180} Y{10 + (i % 2) * 180} F3000" for i in range(160)]
    + ["M104 S0", ""]
).encode()


def _booking_now(*, course, user, printer):
    return booking_under_way(course=course, user=user, printer=printer)


def _state(attempt):
    attempt.refresh_from_db()
    return attempt.state


def _events(attempt):
    return [(e.from_state, e.to_state, e.code) for e in attempt.events.all()]


def _printing(attempt):
    def check():
        attempt.refresh_from_db()
        return attempt.state == State.PRINTING and attempt.progress is not None

    return check


@pytest.fixture
def printer(printer):
    """The shared Virtual Printer, loaded with a material that the heated files fit."""
    printer.material = lukewarm()
    printer.save(update_fields=["material"])
    return printer


class Workers:
    """Celery workers of this test, on a queue of their own, started and killed at will."""

    def __init__(self, tmp_path):
        self.queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-{uuid.uuid4().hex[:8]}"
        self.tmp_path = tmp_path
        self.processes = []
        self.logs = {}

    def start(self, name: str, *, beat: bool = False) -> subprocess.Popen:
        log = ROOT / "var" / "test-logs" / f"worker-{name}-{self.queue}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "ATELIER_WORKER_USES_TEST_DB": "1",
            "PYTHONUNBUFFERED": "1",
            "CELERY_QUEUE": self.queue,
        }
        schedule = str(self.tmp_path / f"beat-{name}") if beat else None
        argv = worker_argv(loglevel="info", beat_schedule=schedule)
        argv += ["--hostname", f"{name}-{os.getpid()}@%h"]
        with open(log, "wb") as out:
            # A session of its own: a worker's embedded beat is a child process, which a
            # kill of the worker alone would leave running (sending sweeps for ever).
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        self.logs[process.pid] = log
        wait_for(
            lambda: "ready." in log.read_text(errors="replace") or process.poll() is not None,
            timeout=60,
            what=f"worker {name} to start",
        )
        assert process.poll() is None, log.read_text(errors="replace")
        return process

    def log_of(self, process) -> Path:
        return self.logs[process.pid]

    def kill(self, process) -> None:
        """SIGKILL the worker and everything it started (its beat), as a crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def follow(self, printer) -> None:
        printer_follow_task.apply_async((printer.pk,), queue=self.queue)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            with contextlib.suppress(ProcessLookupError):  # whatever it left behind
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def workers(tmp_path, transactional_db):
    pool = Workers(tmp_path)
    yield pool
    pool.stop()


def test_a_followed_print_keeps_its_telemetry_compactly(
    celery_worker, course, trainee, own_printer
):
    # An OctoPrint of its own: in the whole suite's order the shared one, after earlier
    # tests, reported no Z (layer) at all during this print.
    booking = _booking_now(course=course, user=trainee, printer=own_printer)
    attempt = attempt_create(
        user=trainee, booking=booking, filename="chauffe.gcode", data=GCODE_HEATED
    )
    wait_for(_finished(attempt), timeout=90, what="the heated print to finish")
    assert attempt.state == State.COMPLETED, attempt.message
    assert [e[1] for e in _events(attempt)] == ["queued", "printing", "completed"]

    series = attempt_series(attempt_id=attempt.pk)
    # A reading at least every 2 s over the whole print, whatever its length here.
    duration = (attempt.ended_at - attempt.started_at).total_seconds()
    assert len(series.t) >= max(3, int(duration / 2)), (duration, series.t)
    assert series.longest_gap <= 2.0, series.t  # a reading at least every 2 s
    assert 60.0 in series.nozzle_target and 50.0 in series.bed_target
    assert max(n for n in series.nozzle if n is not None) >= 59
    kinds = {kind for _, kind, _ in series.marks}
    assert {"state", "progress", "z"} <= kinds
    z_values = [value for _, kind, value in series.marks if kind == "z"]
    assert z_values == sorted(z_values) and len(set(z_values)) >= 4  # one per layer
    # One row per minute of printing, not one per reading.
    assert attempt.telemetry.count() == int(max(series.t) // 60) + 1


def test_a_printer_killed_mid_print_interrupts_then_fails_and_is_free_again(
    celery_worker, course, trainee, instructor, own_printer, own_octoprint
):
    booking = _booking_now(course=course, user=trainee, printer=own_printer)
    attempt = attempt_create(user=trainee, booking=booking, filename="long.gcode", data=GCODE_LONG)
    wait_for(_printing(attempt), timeout=60, what="the print to be under way")

    assert client.job_status(url=own_octoprint.url, api_key=own_octoprint.api_key).is_busy
    own_octoprint.process.kill()  # no goodbye: the socket just breaks
    killed_at = time.monotonic()
    wait_for(
        lambda: _state(attempt) == State.INTERRUPTED, timeout=40, what="the attempt interrupted"
    )
    assert time.monotonic() - killed_at <= 30
    assert attempt.message_code == "printer_interrupted"
    assert "injoignable" in attempt.get_state_display()
    assert attempt.ended_at is None  # not over: it waits for the printer

    own_octoprint.start()  # OctoPrint comes back with no job: the print is gone
    own_octoprint.wait_ready()
    wait_for(lambda: _state(attempt) == State.FAILED, timeout=60, what="the reconciliation")
    assert attempt.message_code == "printer_lost_job"
    assert [e[1] for e in _events(attempt)] == [
        "queued",
        "printing",
        "interrupted",
        "failed",
    ]
    assert attempt.telemetry.exists()  # what was recorded before the fault is kept

    # The printer is free: the next print goes through.
    wait_for(
        lambda: (
            client.printer_connect(url=own_octoprint.url, api_key=own_octoprint.api_key)
            == "Operational"
        ),
        timeout=30,
        what="the printer to be operational",
    )
    own_printer.farm.instructors.add(instructor)  # someone at the farm clears the bed
    bed_clear_confirm(user=instructor, printer=own_printer)
    again = attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    wait_for(_finished(again), timeout=60, what="the next print to finish")
    assert again.state == State.COMPLETED, again.message


def test_cancelling_a_print_the_printer_lost_closes_it(course, trainee, printer):
    booking = _booking_now(course=course, user=trainee, printer=printer)
    # Printing for Atelier, but OctoPrint is idle: it lost the job.
    lost = _attempt_recorded(booking, state=State.PRINTING, started_at=timezone.now())
    attempt_cancel(user=trainee, attempt=lost)
    lost.refresh_from_db()
    assert lost.state == State.CANCELLED and lost.message_code == "cancel_closed"
    assert lost.ended_at is not None

    interrupted = _attempt_recorded(booking, state=State.INTERRUPTED, started_at=timezone.now())
    attempt_cancel(user=trainee, attempt=interrupted)
    assert _state(interrupted) == State.CANCELLED


def test_a_worker_killed_mid_print_is_replaced_and_the_print_ends_once(
    celery_worker, workers, course, trainee, printer
):
    booking = _booking_now(course=course, user=trainee, printer=printer)
    attempt = _attempt_recorded(booking, state=State.PRINTING, started_at=timezone.now())
    client.print_start(
        url=printer.octoprint_url,
        api_key=printer.api_key,
        filename=remote_name(attempt),
        content=GCODE_LONG,
    )
    first = workers.start("first", beat=True)
    workers.follow(printer)
    wait_for(lambda: attempt.telemetry.exists(), timeout=30, what="the first follower's readings")
    workers.kill(first)
    assert client.job_status(url=printer.octoprint_url, api_key=printer.api_key).is_busy
    first.wait()
    lease = PrinterLease.objects.get(printer=printer)
    assert lease.generation == 1

    workers.start("second", beat=True)  # its beat finds the printer unfollowed
    wait_for(_finished(attempt), timeout=180, what="the print to finish under the new worker")
    assert attempt.state == State.COMPLETED, attempt.message
    assert [e[1] for e in _events(attempt)] == ["completed"]  # ended exactly once
    lease.refresh_from_db()
    assert lease.generation >= 2  # another follower took over
    series = attempt_series(attempt_id=attempt.pk)
    assert series.t == sorted(set(series.t))  # nothing written twice
    assert series.longest_gap <= 30, series.longest_gap


def test_a_follower_that_loses_its_lease_is_replaced_within_seconds(
    workers, course, trainee, printer
):
    booking = _booking_now(course=course, user=trainee, printer=printer)
    attempt = _attempt_recorded(booking, state=State.PRINTING, started_at=timezone.now())
    client.print_start(
        url=printer.octoprint_url,
        api_key=printer.api_key,
        filename=remote_name(attempt),
        content=GCODE_LONG,
    )
    worker = workers.start("sweeper", beat=True)  # a worker with its beat, as in production
    workers.follow(printer)
    wait_for(lambda: attempt.telemetry.exists(), timeout=30, what="the first follower's readings")
    first = PrinterLease.objects.get(printer=printer)
    assert first.holder and first.generation == 1

    # Mid-print, the lease is taken from under the follower and left to run out, as if a
    # stalled holder had it: the follower must stop, and the sweep must start another.
    PrinterLease.objects.filter(printer=printer).update(
        holder="voleur", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    stolen_at = time.monotonic()

    def replaced():
        lease = PrinterLease.objects.get(printer=printer)
        return lease.holder not in ("", "voleur", first.holder) and lease.generation == 2

    wait_for(replaced, timeout=30, what="the sweep to start a new follower")
    assert time.monotonic() - stolen_at <= 15  # the sweep runs every 5 s
    assert client.job_status(url=printer.octoprint_url, api_key=printer.api_key).is_busy

    wait_for(_finished(attempt), timeout=180, what="the print to finish under the new follower")
    assert attempt.state == State.COMPLETED, attempt.message
    assert [e[1] for e in _events(attempt)] == ["completed"]  # ended exactly once
    series = attempt_series(attempt_id=attempt.pk)
    assert series.t == sorted(set(series.t))  # nothing written twice
    assert series.longest_gap <= 30, series.longest_gap
    duration = (attempt.ended_at - attempt.started_at).total_seconds()
    assert max(series.t) >= duration - 5, (duration, series.t)  # readings to the end
    log = workers.log_of(worker).read_text(errors="replace")
    assert "'lease lost'" in log  # the robbed follower stopped by itself


def test_two_workers_racing_give_one_follower(celery_worker, workers, course, trainee, printer):
    workers.start("left")
    workers.start("right")
    booking = _booking_now(course=course, user=trainee, printer=printer)
    attempt = _attempt_recorded(booking, state=State.PRINTING, started_at=timezone.now())
    client.print_start(
        url=printer.octoprint_url,
        api_key=printer.api_key,
        filename=remote_name(attempt),
        content=GCODE_HEATED,
    )
    for _ in range(6):  # as if sweeps and restarts had asked again and again
        workers.follow(printer)
    wait_for(_finished(attempt), timeout=90, what="the print to finish")
    assert attempt.state == State.COMPLETED, attempt.message
    assert [e[1] for e in _events(attempt)] == ["completed"]
    assert PrinterLease.objects.get(printer=printer).generation == 1  # taken once, by one
    series = attempt_series(attempt_id=attempt.pk)
    assert series.t and series.t == sorted(set(series.t))


def test_the_lease_goes_to_one_of_many_racers(transactional_db, offline_printer):
    barrier = threading.Barrier(8)
    won = []

    def race(index):
        try:
            barrier.wait()
            if printer_lease_acquire(printer_id=offline_printer.pk, holder=f"racer-{index}"):
                won.append(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    lease = PrinterLease.objects.get(printer=offline_printer)
    assert lease.holder == f"racer-{won[0]}" and lease.generation == 1


def test_the_keeper_renews_turning_followers_and_lets_a_stuck_ones_lease_run_out(
    db, farm, offline_printer
):
    other = Printer.objects.create(
        farm=farm, name="Bloquée", octoprint_url="http://127.0.0.1:9", api_key="y" * 43
    )
    keeper = LeaseKeeper(every=3600, stall=30)  # rounds run by hand here
    assert printer_lease_acquire(printer_id=offline_printer.pk, holder="vivant")
    assert printer_lease_acquire(printer_id=other.pk, holder="bloqué")
    alive = keeper.add(printer_id=offline_printer.pk, holder="vivant")
    stuck = keeper.add(printer_id=other.pk, holder="bloqué")
    before = dict(PrinterLease.objects.values_list("holder", "expires_at"))

    alive.turn(reachable=True)
    stuck.turned -= 60  # its loop has not turned for a minute
    time.sleep(0.05)
    keeper.renew()
    after = dict(PrinterLease.objects.values_list("holder", "expires_at"))
    assert after["vivant"] > before["vivant"]  # renewed, on the database's clock
    assert after["bloqué"] == before["bloqué"]  # left to run out: the sweep will replace it
    assert PrinterLease.objects.get(holder="vivant").seen_at is not None
    assert not alive.lost.is_set() and not stuck.lost.is_set()

    PrinterLease.objects.filter(holder="vivant").update(holder="voleur")
    keeper.renew()
    assert alive.lost.is_set()  # its follower stops at the next turn of its loop
    keeper.remove(alive)
    keeper.remove(stuck)
