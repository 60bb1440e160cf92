"""One follower per printer: it listens to the printer and records its attempts' lives.

`printer_follow` runs (in a Celery task) while its printer has an attempt queued, printing
or interrupted, holding the printer's lease (`leases`): a second follower started by
another worker, a restart or a sweep finds the lease taken and returns at once.

It reads OctoPrint's push socket (state about twice a second, temperatures every 1-2 s,
events such as PrintDone or Error) and, as a liveness check, the REST job status every
POLL_EVERY seconds. When the printer cannot be reached it retries with a growing delay;
after INTERRUPT_AFTER without an answer the printing attempt becomes `interrupted`. When
the printer answers again, what OctoPrint says decides: still printing our file, the
print goes on; our file finished, failed or was cancelled, so be it; no job or another
file, the attempt failed. Each ending happens once: `attempt_move` checks the state under
a row lock, and the follower checks it still holds the lease in the same transaction.

What the printer says is kept in memory (`Live`) and written once a second, with the
readings of every other printer the worker follows, by the worker's recorder
(`recording`); the follower writes its own only before an ending and when it stops.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time

from django.db import transaction
from django.utils import timezone

from courses.precompiled import Precompiled

from ..models import PrintAttempt, Printer
from ..octoprint import client
from ..octoprint.push import PushSocket
from .leases import (
    KEEPER,
    Held,
    lease_held,
    printer_lease_acquire,
    printer_lease_release,
    printers_unfollowed,
)
from .printing import attempt_move
from .readings import Live, live_current, live_event
from .reconcile import past_grace, verdict
from .recording import RECORDER, Followed, readings_write
from .telemetry import TelemetryBuffer

log = logging.getLogger(__name__)
State = PrintAttempt.State
ACTIVE = (State.QUEUED, State.PRINTING, State.INTERRUPTED)

CHECK_EVERY = 1.0  # the database read for the printer's attempts
# While an attempt prints, its events and the REST poll tell the follower what happens;
# the database read is then only a backstop (a new attempt cannot start meanwhile).
CHECK_EVERY_PRINTING = 10.0
# REST check while the socket is up: the socket's own messages (twice a second, SILENCE)
# prove the printer alive; the poll is the backstop for an event the socket missed.
POLL_EVERY = 30.0
SILENCE = 10.0  # a socket quiet this long is dead (OctoPrint sends twice a second)
INTERRUPT_AFTER = dt.timedelta(seconds=10)
BACKOFF_ACTIVE = (1, 2, 4, 8, 15)  # seconds between tries while an attempt needs the printer
IDLE_EXIT = 15.0  # no attempt to follow for this long: the follower stops

# The printer's attempts that need it, read by every follower every few seconds: its SQL
# is built once per connection, not by the ORM at each read.
_ACTIVE = Precompiled(
    lambda printer_id: PrintAttempt.objects.filter(
        printer_id=printer_id, state__in=ACTIVE
    ).order_by("pk")
)


class LeaseLost(Exception):
    """Someone else follows this printer now: stop without writing anything more."""


def printer_follow(*, printer_id: int, holder: str, stop: threading.Event | None = None) -> str:
    """Follow the printer until it has nothing to follow; "busy" if another follower has it."""
    if not printer_lease_acquire(printer_id=printer_id, holder=holder):
        return "busy"
    held = KEEPER.add(printer_id=printer_id, holder=holder)  # renewed from now on
    try:
        follower = _Follower(printer_id=printer_id, held=held, stop=stop or threading.Event())
        RECORDER.add(follower.followed)  # its readings written from now on
        try:
            return follower.run()
        except LeaseLost:
            log.warning("printer %s: lease lost by %s, stopping", printer_id, holder)
            return "lease lost"
        finally:
            RECORDER.remove(follower.followed)
            follower.close()
    finally:
        KEEPER.remove(held)
        printer_lease_release(printer_id=printer_id, holder=holder)


class _Follower:
    def __init__(self, *, printer_id: int, held: Held, stop: threading.Event) -> None:
        self.printer = Printer.objects.get(pk=printer_id)
        self.held = held
        self.holder = held.holder
        self.stop = stop
        self.socket: PushSocket | None = None
        # What the printer said (`live`), written by the recorder; `lock` guards it.
        self.followed = Followed(printer_id=printer_id, held=held, lock=threading.RLock())
        self.lock = self.followed.lock
        self.unreachable_since: dt.datetime | None = None
        self.failures = 0
        self.idle_since: float | None = None
        self.has_active = False
        self.last_message = 0.0
        now = time.monotonic()
        self.next = {"check": now, "poll": now}
        self.next_connect = now

    @property
    def live(self) -> Live | None:
        return self.followed.live

    @live.setter
    def live(self, live: Live | None) -> None:
        self.followed.live = live

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> str:
        while not self.stop.is_set():
            now = time.monotonic()
            self._turn()
            if now >= self.next["check"]:
                self._check()
                self.next["check"] = now + (CHECK_EVERY_PRINTING if self.live else CHECK_EVERY)
                if not self.has_active:
                    self.idle_since = self.idle_since or now
                    if now - self.idle_since > IDLE_EXIT:
                        return "idle"
                else:
                    self.idle_since = None
            if self.socket is None and now >= self.next_connect:
                self._connect()
            elif self.socket is not None and now >= self.next["poll"]:
                self.next["poll"] = now + POLL_EVERY
                self._poll()
            if self.socket is not None:
                self._receive()
            else:
                self.stop.wait(min(0.5, max(0.05, self.next_connect - time.monotonic())))
        return "stopped"

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        with contextlib.suppress(LeaseLost):
            self._flush()

    def _turn(self) -> None:
        """Tell the lease keeper this loop still turns; stop if the lease went elsewhere."""
        if self.held.lost.is_set():
            raise LeaseLost()
        self.held.turn(reachable=self.unreachable_since is None and self.socket is not None)

    # -- the printer ------------------------------------------------------------------------

    def _connect(self) -> None:
        if not self.has_active:
            self.next_connect = time.monotonic() + 1
            return
        try:
            status = client.job_state(url=self.printer.octoprint_url, api_key=self.printer.api_key)
            self._reconcile(status)
            self.socket = PushSocket(url=self.printer.octoprint_url, api_key=self.printer.api_key)
        except client.OctoPrintError as error:
            self._unreachable(error)
            return
        self.failures = 0
        self.unreachable_since = None
        self.last_message = time.monotonic()
        self.next["poll"] = time.monotonic() + POLL_EVERY

    def _receive(self) -> None:
        try:
            message = self.socket.receive(timeout=0.5)
        except client.OctoPrintError as error:
            self.socket = None
            self._unreachable(error)
            return
        now = time.monotonic()
        if message is None:
            if now - self.last_message > SILENCE:
                self.socket.close()
                self.socket = None
                self._unreachable("silent")
            return
        self.last_message = now
        with self.lock:
            if "current" in message or "history" in message:
                self._current(message.get("current") or message.get("history") or {})
            elif "event" in message:
                self._event(message["event"] or {})

    def _poll(self) -> None:
        try:
            status = client.job_state(url=self.printer.octoprint_url, api_key=self.printer.api_key)
        except client.OctoPrintError as error:
            self.socket.close()
            self.socket = None
            self._unreachable(error)
            return
        self._reconcile(status)

    def _unreachable(self, error) -> None:
        log.info("printer %s unreachable: %s", self.printer.pk, error)
        self.unreachable_since = self.unreachable_since or timezone.now()
        delay = BACKOFF_ACTIVE[min(self.failures, len(BACKOFF_ACTIVE) - 1)]
        self.failures += 1
        self.next_connect = time.monotonic() + delay
        if self._interrupt_due():
            self._end(State.INTERRUPTED, code="printer_interrupted")

    def _interrupt_due(self) -> bool:
        return bool(
            self.live
            and self.socket is None
            and self.unreachable_since
            and timezone.now() - self.unreachable_since >= INTERRUPT_AFTER
        )

    # -- the database -----------------------------------------------------------------------

    def _check(self) -> None:
        """Which attempts need this printer now; interrupted ones that waited too long end."""
        with self.lock:
            self._check_locked()

    def _check_locked(self) -> None:
        attempts = _ACTIVE.rows(self.printer.pk)
        self.has_active = bool(attempts)
        printing = next((a for a in attempts if a.state == State.PRINTING), None)
        if self.live and (printing is None or printing.pk != self.live.attempt.pk):
            self._flush()
            self.live = None
        if printing and self.live is None:
            self.live = Live(
                attempt=printing, buffer=TelemetryBuffer.for_attempt(printing), fields={}
            )
        if self._interrupt_due():
            self._end(State.INTERRUPTED, code="printer_interrupted")
        for attempt in attempts:
            if attempt.state == State.INTERRUPTED and past_grace(attempt):
                self._move(attempt.pk, {State.INTERRUPTED}, State.FAILED, code="print_lost")

    def _flush(self) -> None:
        """Write what the recorder has not written yet, now (before an ending, at the end)."""
        with self.lock:
            if readings_write([self.followed]):
                raise LeaseLost()

    def _move(self, attempt_id: int, states: set, to_state: str, **kwargs) -> bool:
        with transaction.atomic():
            if not lease_held(printer_id=self.printer.pk, holder=self.holder):
                raise LeaseLost()
            attempt = PrintAttempt.objects.select_for_update().get(pk=attempt_id)
            if attempt.state not in states:
                return False
            attempt_move(attempt, to_state, followed_at=timezone.now(), **kwargs)
            return True

    def _end(self, to_state: str, **kwargs) -> None:
        """End (or interrupt) the attempt being printed, after writing its telemetry."""
        with self.lock:
            live = self.live
            if live is None:
                return
            self._flush()
            fields = {**live.fields, **kwargs}
            self._move(live.attempt.pk, {State.PRINTING}, to_state, **fields)
            self.live = None

    # -- what the printer says --------------------------------------------------------------

    def _current(self, current: dict) -> None:
        if self.live is not None:
            live_current(self.live, current)

    def _event(self, event: dict) -> None:
        if self.live is None:
            return
        ending = live_event(self.live, event)
        if ending is not None:
            to_state, kwargs = ending
            self._end(to_state, **kwargs)

    def _reconcile(self, status: client.JobStatus) -> None:
        """Decide from a REST snapshot: interrupted attempts first, then the printing one."""
        interrupted = [a for a in _ACTIVE.rows(self.printer.pk) if a.state == State.INTERRUPTED]
        for attempt in interrupted:
            to_state, kwargs = verdict(attempt, status, interrupted=True)
            if to_state:
                self._move(attempt.pk, {State.INTERRUPTED}, to_state, **kwargs)
        self._check()
        if self.live is None:
            return
        to_state, kwargs = verdict(self.live.attempt, status, interrupted=False)
        if to_state:
            self._end(to_state, **kwargs)


def printers_to_follow() -> list[int]:
    """Printers with an attempt printing or interrupted and no live follower's lease."""
    printer_ids = list(
        PrintAttempt.objects.filter(state__in=(State.PRINTING, State.INTERRUPTED))
        .values_list("printer_id", flat=True)
        .distinct()
    )
    return printers_unfollowed(printer_ids=printer_ids)
