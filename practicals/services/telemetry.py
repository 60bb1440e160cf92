"""An attempt's telemetry: buffered by its follower, written a minute-row at a time.

Times are seconds since the attempt started. Temperature samples carry OctoPrint's own
reading time, so a follower that takes over can backfill from the socket's history what
its predecessor had not written, without writing anything twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection, transaction

from ..models import AttemptTelemetry, PrintAttempt

SAMPLE_KEYS = ("t", "n", "nt", "b", "bt")


@dataclass
class TelemetryBuffer:
    """Readings of one attempt not yet written."""

    attempt_id: int
    started_epoch: float
    last_t: float = -math.inf  # the last sample written (or buffered)
    samples: list[tuple] = field(default_factory=list)
    marks: list[list] = field(default_factory=list)
    rows: dict[int, AttemptTelemetry] = field(default_factory=dict)  # as last written

    @classmethod
    def for_attempt(cls, attempt: PrintAttempt) -> TelemetryBuffer:
        buffer = cls(attempt_id=attempt.pk, started_epoch=attempt.started_at.timestamp())
        last = AttemptTelemetry.objects.filter(attempt_id=attempt.pk).order_by("-minute").first()
        if last and last.samples.get("t"):
            buffer.last_t = max(last.samples["t"])
        return buffer

    def sample(self, *, at_epoch: float, nozzle, nozzle_target, bed, bed_target) -> bool:
        """Keep a temperature reading taken at `at_epoch` (OctoPrint's clock), once."""
        t = round(at_epoch - self.started_epoch, 1)
        if t <= self.last_t or t < 0:
            return False
        self.last_t = t
        self.samples.append((t, nozzle, nozzle_target, bed, bed_target))
        return True

    def mark(self, *, at_epoch: float, kind: str, value) -> None:
        t = max(0.0, round(at_epoch - self.started_epoch, 1))
        self.marks.append([t, kind, value])

    def __bool__(self) -> bool:
        return bool(self.samples or self.marks)

    def rows_to_save(self) -> list[AttemptTelemetry]:
        """Append the buffer to its minute rows (in memory) and return the rows to save.

        Called inside the writer's transaction, which holds the printer's lease row locked:
        nobody else writes this attempt's rows, so the current minute's row is kept in
        memory and saved with one UPDATE. If the transaction fails, `forget_rows` must be
        called (the rows are read again next time) and the buffer is kept; once it is
        committed, `written` empties the buffer."""
        by_minute: dict[int, tuple[list, list]] = {}
        for sample in self.samples:
            by_minute.setdefault(int(sample[0] // 60), ([], []))[0].append(sample)
        for mark in self.marks:
            by_minute.setdefault(int(mark[0] // 60), ([], []))[1].append(mark)
        rows = []
        for minute, (samples, marks) in sorted(by_minute.items()):
            row = self.rows.get(minute)
            if row is None:
                row, _ = AttemptTelemetry.objects.get_or_create(
                    attempt_id=self.attempt_id,
                    minute=minute,
                    defaults={"samples": {key: [] for key in SAMPLE_KEYS}, "marks": []},
                )
                self.rows = {minute: row}  # only the latest minute stays in memory
            for sample in samples:
                for key, value in zip(SAMPLE_KEYS, sample, strict=True):
                    row.samples.setdefault(key, []).append(value)
            row.marks.extend(marks)
            rows.append(row)
        return rows

    def write(self) -> None:
        """Write the buffer on its own, now (followers write through `readings_write`)."""
        try:
            with transaction.atomic():
                telemetry_rows_save(self.rows_to_save())
        except BaseException:
            self.forget_rows()
            raise
        self.written()

    def forget_rows(self) -> None:
        self.rows = {}

    def written(self) -> None:
        self.samples.clear()
        self.marks.clear()


def telemetry_rows_save(rows: list[AttemptTelemetry]) -> None:
    """Save the samples and marks of these rows: one statement for all of them."""
    if not rows:
        return
    samples, marks = (AttemptTelemetry._meta.get_field(name) for name in ("samples", "marks"))
    params = [
        (
            samples.get_db_prep_save(row.samples, connection),
            marks.get_db_prep_save(row.marks, connection),
            row.pk,
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(_UPDATE_ROW, params)


_UPDATE_ROW = f"UPDATE {AttemptTelemetry._meta.db_table} SET samples = %s, marks = %s WHERE id = %s"  # noqa: S608


@dataclass
class Series:
    """An attempt's whole telemetry, in time order."""

    t: list[float] = field(default_factory=list)
    nozzle: list[float | None] = field(default_factory=list)
    nozzle_target: list[float | None] = field(default_factory=list)
    bed: list[float | None] = field(default_factory=list)
    bed_target: list[float | None] = field(default_factory=list)
    marks: list[list] = field(default_factory=list)

    @property
    def longest_gap(self) -> float:
        """The longest time between two consecutive samples, in seconds."""
        gaps = (round(b - a, 1) for a, b in zip(self.t, self.t[1:], strict=False))
        return max(gaps, default=0.0)


def attempt_series(*, attempt_id: int) -> Series:
    series = Series()
    rows = AttemptTelemetry.objects.filter(attempt_id=attempt_id).order_by("minute")
    for row in rows.only("samples", "marks"):
        samples = row.samples
        series.t += samples.get("t", [])
        series.nozzle += samples.get("n", [])
        series.nozzle_target += samples.get("nt", [])
        series.bed += samples.get("b", [])
        series.bed_target += samples.get("bt", [])
        series.marks += row.marks
    return series
