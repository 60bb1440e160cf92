"""The followers' readings, written for all the printers of a worker at once.

Each follower keeps what its printer said (`Live`: telemetry samples and marks, the
attempt's live fields) in memory. One `Recorder` thread per process writes them for all
its followers every WRITE_EVERY seconds, in one transaction: the leases of all their
printers locked and checked in one SELECT, the telemetry rows saved in one statement,
the attempts' live fields in one statement per set of fields. A follower still writes
its own readings, through the same `readings_write`, just before an attempt ends (so the
telemetry precedes the ending) and when it stops.

Each follower has a lock that guards its `live`; the recorder takes the free ones only
and leaves a follower busy writing on its own for the next round. A reading written by
a follower that no longer holds its lease is never written: its printer's lease row is
the authority, checked in the writing transaction (`lease_held`, many at once here).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..models import PrintAttempt, PrinterLease
from .leases import Held
from .readings import Live
from .telemetry import telemetry_rows_save

log = logging.getLogger(__name__)

WRITE_EVERY = 1.0  # seconds between two writes of all the readings


@dataclass(eq=False)
class Followed:
    """What the recorder needs of a follower: its printer, its lease, its live readings."""

    printer_id: int
    held: Held
    lock: threading.RLock
    live: Live | None = None


def leases_held(pairs: list[tuple[int, str]]) -> set[int]:
    """Inside a transaction: lock the lease rows of these printers (in printer order, as
    every writer of several leases does, so that two of them cannot deadlock) and return
    those that the paired holder still has."""
    if not pairs:
        return set()
    ids = sorted({printer_id for printer_id, _ in pairs})
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT printer_id, holder FROM {PrinterLease._meta.db_table} "  # noqa: S608
            f"WHERE printer_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY printer_id{lock}",
            ids,
        )
        holders = dict(cursor.fetchall())
    return {printer_id for printer_id, holder in pairs if holders.get(printer_id) == holder}


def readings_write(followed: list[Followed]) -> set[int]:
    """Write the readings of these followers (their locks held by the caller) in one
    transaction; the printers whose lease their follower lost (nothing written for them)."""
    pending = [f for f in followed if f.live is not None and (f.live.buffer or f.live.fields)]
    if not pending:
        return set()
    try:
        with transaction.atomic():
            held = leases_held([(f.printer_id, f.held.holder) for f in pending])
            mine = [f.live for f in pending if f.printer_id in held]
            rows = [row for live in mine for row in live.buffer.rows_to_save()]
            telemetry_rows_save(rows)
            _live_fields_save(mine, followed_at=timezone.now())
    except BaseException:
        for f in pending:  # rolled back: read the rows again next time, keep the readings
            f.live.buffer.forget_rows()
        raise
    for live in mine:
        live.buffer.written()
        live.fields = {}
    return {f.printer_id for f in pending} - held


def _live_fields_save(lives: list[Live], *, followed_at) -> None:
    """The attempts' live fields: one UPDATE for each set of fields, rows in one go."""
    groups: dict[tuple, list] = {}
    for live in lives:
        fields = {**live.fields, "followed_at": followed_at}
        names = tuple(sorted(fields))
        groups.setdefault(names, []).append((live.attempt.pk, fields))
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            sql, prepare = _update_live(names)
            cursor.executemany(sql, [[*prepare(fields), pk, PRINTING] for pk, fields in rows])


PRINTING = PrintAttempt.State.PRINTING.value
_UPDATES: dict[tuple, tuple] = {}


def _update_live(names: tuple) -> tuple:
    """The UPDATE of these live fields of a printing attempt, built once per process."""
    key = (connection.vendor, names)
    known = _UPDATES.get(key)
    if known is None:
        fields = [PrintAttempt._meta.get_field(name) for name in names]
        columns = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
        sql = (
            f"UPDATE {PrintAttempt._meta.db_table} SET {columns} "  # noqa: S608
            "WHERE id = %s AND state = %s"
        )

        def prepare(values: dict, fields=fields) -> list:
            return [f.get_db_prep_save(values[f.name], connection) for f in fields]

        known = _UPDATES[key] = (sql, prepare)
    return known


class Recorder:
    """Writes the readings of this process's followers, all in one go, from its own thread."""

    def __init__(self, *, every: float = WRITE_EVERY) -> None:
        self.every = every
        self._followed: dict[int, Followed] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, followed: Followed) -> None:
        with self._lock:
            self._followed[id(followed)] = followed
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)
                self._thread.start()

    def remove(self, followed: Followed) -> None:
        with self._lock:
            self._followed.pop(id(followed), None)

    def write(self) -> None:
        """One round: write what every follower not busy writing on its own has read."""
        with self._lock:
            current = list(self._followed.values())
        taken = [f for f in current if f.lock.acquire(blocking=False)]
        try:
            lost = readings_write(taken)
        finally:
            for f in taken:
                f.lock.release()
        for f in taken:
            if f.printer_id in lost:
                log.warning("printer %s: lease lost by %s", f.printer_id, f.held.holder)
                f.held.lost.set()  # its follower stops at the next turn of its loop

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            with self._lock:
                if not self._followed:
                    self._thread = None
                    break
            try:
                self.write()
            except Exception:  # the database is away: the readings wait for the next round
                log.exception("writing the followers' readings failed")
                connection.close()
        connection.close()


RECORDER = Recorder()
