"""The lease that makes one follower per printer, whatever the workers, restarts and sweeps.

A follower takes the printer's lease with one conditional UPDATE (free, expired, or
already its own) and gives it back when it stops. One that dies stops renewing: after
LEASE_TTL anyone may take it over, and the sweep starts a new follower. Writes that only
the follower may make check the lease in their own transaction (`lease_held`), so a
follower that stalled past its lease and woke up cannot write over its successor.

Every time is the database's clock (`Now()`), never the worker's: followers on several
machines compare expiries against one clock, so a worker whose clock runs ahead cannot
take a live lease, and one whose clock runs behind cannot keep a dead one.

Renewing is not the follower loop's job: one `LeaseKeeper` thread per process renews the
leases of all its followers in one UPDATE every RENEW_EVERY seconds. A loop blocked for a
while on a slow printer (each network call is bounded, but several follow one another)
keeps its lease; a loop that has not turned for STALL seconds is presumed stuck and is no
longer renewed, so its lease runs out and the sweep replaces it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Now

from ..models import PrinterLease

log = logging.getLogger(__name__)

LEASE_TTL = dt.timedelta(seconds=15)
RENEW_EVERY = 3.0  # seconds between renewals: five chances before the lease runs out
STALL = 60.0  # seconds without a turn of its loop after which a follower is not renewed


def _expiry():
    """The database's now + LEASE_TTL, as an SQL expression."""
    return ExpressionWrapper(Now() + Value(LEASE_TTL), output_field=DateTimeField())


def printer_lease_acquire(*, printer_id: int, holder: str) -> bool:
    """Take the printer's lease if nobody holds it (or their lease ran out)."""
    if not PrinterLease.objects.filter(printer_id=printer_id).exists():
        try:
            with transaction.atomic():
                PrinterLease.objects.create(printer_id=printer_id)
        except IntegrityError:
            pass  # created by a racing follower (or the printer is gone): the UPDATE decides
    taken = (
        PrinterLease.objects.filter(printer_id=printer_id)
        .filter(Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lte=Now()))
        .update(holder=holder, expires_at=_expiry(), generation=F("generation") + 1)
    )
    return taken == 1


def printer_leases_renew(*, reachable: list[str], unreachable: list[str]) -> set[str]:
    """Extend the leases of these holders; the set of those that still hold theirs."""
    holders = reachable + unreachable
    if not holders:
        return set()
    with transaction.atomic():
        kept = _holders_locked(holders)
        if reachable:
            PrinterLease.objects.filter(holder__in=reachable).update(
                expires_at=_expiry(), seen_at=Now(), unreachable_since=None
            )
        if unreachable:
            PrinterLease.objects.filter(holder__in=unreachable).update(expires_at=_expiry())
            PrinterLease.objects.filter(
                holder__in=unreachable, unreachable_since__isnull=True
            ).update(unreachable_since=Now())
    return kept


def _holders_locked(holders: list[str]) -> set[str]:
    """Inside a transaction: lock the rows of these holders and say which still hold one.

    Locked in printer order, as the recorder locks them: two writers of several leases
    that locked them in different orders could deadlock. Read here rather than trust the
    UPDATE's count (which does not say which row matched): nobody can change a locked row
    until this transaction ends. Plain SQL: the ORM's IN list of fifty holders cost more
    than the query."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT holder FROM {PrinterLease._meta.db_table} "  # noqa: S608 (no user input)
            f"WHERE holder IN ({', '.join(['%s'] * len(holders))}) ORDER BY printer_id{lock}",
            holders,
        )
        return {holder for (holder,) in cursor.fetchall()}


def printer_lease_release(*, printer_id: int, holder: str) -> None:
    PrinterLease.objects.filter(printer_id=printer_id, holder=holder).update(
        holder="", expires_at=None
    )


def lease_held(*, printer_id: int, holder: str) -> bool:
    """Inside a transaction: lock the lease row and say whether `holder` still has it.

    Plain SQL: every follower runs it before each write, and building it through the ORM
    cost more than the query itself (SQLite has no FOR UPDATE: its transactions are
    IMMEDIATE, so writers are serialised anyway)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {PrinterLease._meta.db_table} "  # noqa: S608 (no user input)
            f"WHERE printer_id = %s AND holder = %s{lock}",
            [printer_id, holder],
        )
        return cursor.fetchone() is not None


def printers_unfollowed(*, printer_ids) -> list[int]:
    """Those of `printer_ids` that no live lease covers."""
    held = set(
        PrinterLease.objects.filter(
            printer_id__in=printer_ids, expires_at__gt=Now(), holder__gt=""
        ).values_list("printer_id", flat=True)
    )
    return [pk for pk in printer_ids if pk not in held]


@dataclass
class Held:
    """One follower's lease, as the keeper sees it."""

    printer_id: int
    holder: str
    reachable: bool = False
    turned: float = field(default_factory=time.monotonic)  # the loop's last turn
    lost: threading.Event = field(default_factory=threading.Event)

    def turn(self, *, reachable: bool) -> None:
        self.turned = time.monotonic()
        self.reachable = reachable


class LeaseKeeper:
    """Renews the leases of this process's followers, all in one go, from its own thread."""

    def __init__(self, *, every: float = RENEW_EVERY, stall: float = STALL) -> None:
        self.every = every
        self.stall = stall
        self._held: dict[str, Held] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, *, printer_id: int, holder: str) -> Held:
        held = Held(printer_id=printer_id, holder=holder)
        with self._lock:
            self._held[holder] = held
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
                self._thread.start()
        return held

    def remove(self, held: Held) -> None:
        with self._lock:
            self._held.pop(held.holder, None)

    def renew(self) -> None:
        """One round: renew the live followers' leases, flag the lost ones."""
        now = time.monotonic()
        with self._lock:
            current = list(self._held.values())
        live = [h for h in current if now - h.turned < self.stall]
        for held in current:
            if held not in live:
                log.warning("follower %s stuck: its lease is left to run out", held.holder)
        if not live:
            return
        kept = printer_leases_renew(
            reachable=[h.holder for h in live if h.reachable],
            unreachable=[h.holder for h in live if not h.reachable],
        )
        missing = [held for held in live if held.holder not in kept]
        if not missing:
            return
        # Look again, row by row, before stopping a follower: its printer's row is the
        # authority (the same one `lease_held` locks), and the log says what was seen.
        rows = dict(
            PrinterLease.objects.filter(
                printer_id__in=[held.printer_id for held in missing]
            ).values_list("printer_id", "holder")
        )
        for held in missing:
            now_held_by = rows.get(held.printer_id)
            if now_held_by == held.holder:
                log.warning(
                    "lease keeper: %s still holds printer %s, though the read-back missed it",
                    held.holder,
                    held.printer_id,
                )
                continue
            log.warning(
                "lease keeper: printer %s is held by %r now, not by %s",
                held.printer_id,
                now_held_by,
                held.holder,
            )
            held.lost.set()

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            with self._lock:
                if not self._held:
                    self._thread = None
                    break
            try:
                self.renew()
            except Exception:  # the database is away: try again next round
                log.exception("renewing printer leases failed")
                connection.close()
        connection.close()


KEEPER = LeaseKeeper()
