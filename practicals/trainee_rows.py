"""A trainee's prints and upcoming sessions as rows of `courses.trainee_rows`, read with
the other parts of their dashboard in one statement, and read back here.

What the dashboard lists of them (the practical's title, the printer's name, the farm's
time zone) comes in the same rows: no practical page, printer or farm is loaded.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.db.models.functions import Now

from courses.trainee_rows import AT1, AT2, NUMBER, REF, TEXT1, TEXT2, TEXT3, row_part

from .models import Booking, PrintAttempt
from .models.pages import PracticalPage


def print_attempt_rows(user_id) -> QuerySet:
    return row_part(
        PrintAttempt.objects.filter(trainee_id=user_id),
        "print",
        ref="practical_id",
        number="pk",
        text1="state",
        text2="grade",
        text3="filename",
        at1="graded_at",
        at2="created_at",
    )


def booking_rows(user_id) -> QuerySet:
    """The trainee's confirmed sessions not over yet, by the
    database's clock."""
    return row_part(
        Booking.objects.filter(
            trainee_id=user_id, status=Booking.Status.CONFIRMED, ends_at__gt=Now()
        ),
        "booking",
        ref="practical_id",
        number="pk",
        text1="printer__name",
        text2="printer__farm__timezone",
        at1="starts_at",
        at2="ends_at",
    )


def practical_parts(user_id) -> list[QuerySet]:
    return [print_attempt_rows(user_id), booking_rows(user_id)]


# The kinds of step whose statuses `step_statuses` reads from these rows.
STEP_KINDS = frozenset({PracticalPage})


def step_statuses(rows: dict[str, list[tuple]]) -> dict[int, str]:
    """practical id -> assessed status (`PracticalPage.status_read`)."""
    prints = [(row[REF], row[NUMBER], row[TEXT2], None, row[AT2]) for row in rows.get("print", ())]
    return PracticalPage.status_read(prints)


@dataclass(frozen=True)
class PrintLine:
    """One of the trainee's prints as the dashboard lists it (`attempt_badges.html`)."""

    pk: int
    practical_id: int
    practical_title: str
    filename: str
    state: str
    grade: str
    graded_at: datetime | None
    created_at: datetime

    def get_state_display(self) -> str:
        return PrintAttempt.State(self.state).label

    def get_grade_display(self) -> str:
        return PrintAttempt.Grade(self.grade).label if self.grade else ""


def _print_line(row, title) -> PrintLine:
    return PrintLine(
        pk=row[NUMBER],
        practical_id=row[REF],
        practical_title=title(row[REF]),
        filename=row[TEXT3],
        state=row[TEXT1],
        grade=row[TEXT2] or "",
        graded_at=row[AT1],
        created_at=row[AT2],
    )


def prints_latest(rows: dict[str, list[tuple]], *, title, limit: int = 10) -> list[PrintLine]:
    """The latest prints, newest first; `title(practical id)` names the
    practical (from the outlines: no page is loaded)."""
    latest = sorted(rows.get("print", ()), key=lambda row: (row[AT2], row[NUMBER]), reverse=True)
    return [_print_line(row, title) for row in latest[:limit]]


def prints_graded(rows: dict[str, list[tuple]], *, title, limit: int = 5) -> list[PrintLine]:
    """The latest graded prints, newest grade first."""
    graded = [row for row in rows.get("print", ()) if row[TEXT2]]
    graded.sort(key=lambda row: (row[AT1] is not None, row[AT1] or 0, row[NUMBER]), reverse=True)
    return [_print_line(row, title) for row in graded[:limit]]


@dataclass(frozen=True)
class FarmZone:
    """What `{% slot_label %}` reads of a farm: its time zone."""

    timezone: str

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True)
class BookingLine:
    pk: int
    practical_id: int
    practical_title: str
    printer_name: str
    farm: FarmZone
    starts_at: datetime
    ends_at: datetime


def bookings_next(rows: dict[str, list[tuple]], *, title, limit: int = 5) -> list[BookingLine]:
    """The next sessions, soonest first; `title` as `prints_latest`."""
    upcoming = sorted(rows.get("booking", ()), key=lambda row: (row[AT1], row[NUMBER]))
    return [
        BookingLine(
            pk=row[NUMBER],
            practical_id=row[REF],
            practical_title=title(row[REF]),
            printer_name=row[TEXT1],
            farm=FarmZone(row[TEXT2]),
            starts_at=row[AT1],
            ends_at=row[AT2],
        )
        for row in upcoming[:limit]
    ]
