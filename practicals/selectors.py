"""Reads of practicals: what a trainee sees on a practical page, the grading queue."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import CoursePage
from courses.selectors import enrolment_exists, steps_before, steps_done_ids

from .access import farms_staffed_by
from .models import Booking, PracticalPage, PrintAttempt
from .slots import free_times


def prerequisites_missing(*, practical: PracticalPage, user) -> list:
    """The steps before this practical that the trainee has not completed yet."""
    before = steps_before(step=practical)
    done = steps_done_ids(user=user, steps=before)
    return [step for step in before if step.pk not in done]


@dataclass
class PracticalState:
    enrolled: bool = False
    missing: list = field(default_factory=list)
    booking: Booking | None = None
    attempts: list = field(default_factory=list)
    passed: bool = False


def practical_state(*, practical: PracticalPage, user, now=None) -> PracticalState:
    now = now or timezone.now()
    state = PracticalState()
    if not user.is_authenticated:
        return state
    state.enrolled = enrolment_exists(user=user, course=practical.course())
    state.missing = prerequisites_missing(practical=practical, user=user)
    state.booking = (
        Booking.objects.filter(
            trainee=user,
            practical=practical,
            status=Booking.Status.CONFIRMED,
            ends_at__gt=now,
        )
        .select_related("printer__farm")
        .first()
    )
    state.attempts = list(
        PrintAttempt.objects.filter(trainee=user, practical=practical).select_related("printer")
    )
    state.passed = any(a.grade == PrintAttempt.Grade.PASSED for a in state.attempts)
    return state


NEXT_FREE = 4  # the "next free slots" shown first on the booking page


@dataclass
class SlotChoices:
    """What the booking page offers: the next free times, the days on offer, one day's times."""

    soonest: list = field(default_factory=list)
    days: list = field(default_factory=list)
    day: dt.date | None = None
    times: list = field(default_factory=list)


def slots_by_day(*, practical: PracticalPage, day: dt.date | None = None, now=None) -> SlotChoices:
    """The next free start times, the days that have any, and the times of `day` (the first
    day on offer by default). One entry per start time, with the printers free then: the
    page offers a time, not every printer × time."""
    times = free_times(practical=practical, now=now)
    local = [t.starts_at.astimezone(t.farm.tzinfo).date() for t in times]
    days = sorted(set(local))
    if day not in days:
        day = days[0] if days else None
    return SlotChoices(
        soonest=times[:NEXT_FREE],
        days=days,
        day=day,
        times=[t for t, d in zip(times, local, strict=True) if d == day],
    )


def bookings_upcoming(*, user, now=None):
    now = now or timezone.now()
    return (
        Booking.objects.filter(trainee=user, status=Booking.Status.CONFIRMED, ends_at__gt=now)
        .select_related("printer__farm", "practical")
        .order_by("starts_at")
    )


def attempts_of(*, user, limit: int = 10):
    return PrintAttempt.objects.filter(trainee=user).select_related("practical", "printer")[:limit]


def attempts_to_grade(*, user):
    """Finished prints awaiting a grade at the farms `user` staffs, oldest first.

    A cancelled print has nothing to grade, and once a trainee has passed a practical
    their other ungraded prints of it are moot.
    """
    already_passed = PrintAttempt.objects.filter(
        trainee=OuterRef("trainee"),
        practical=OuterRef("practical"),
        grade=PrintAttempt.Grade.PASSED,
    )
    return (
        PrintAttempt.objects.filter(
            state__in=[PrintAttempt.State.COMPLETED, PrintAttempt.State.FAILED],
            grade="",
            printer__farm__in=farms_staffed_by(user=user),
        )
        .exclude(Exists(already_passed))
        .select_related("trainee", "practical", "printer__farm")
        .order_by("ended_at")
    )


def attempt_visible_to(*, attempt: PrintAttempt, user) -> bool:
    return attempt.trainee_id == user.pk or user.has_perm("practicals.view_printattempt")


def farm_of_passed_practical(*, user, course: CoursePage):
    """The farm where the trainee's latest passed practical of the course was printed."""
    attempt = (
        PrintAttempt.objects.filter(
            trainee=user,
            grade=PrintAttempt.Grade.PASSED,
            practical__path__startswith=course.path,
        )
        .select_related("printer__farm")
        .order_by("-graded_at")
        .first()
    )
    return attempt.printer.farm if attempt else None


def grades_recent(*, user, limit: int = 5):
    """The user's latest graded prints, newest grade first: one query."""
    return list(
        PrintAttempt.objects.filter(trainee=user)
        .exclude(grade="")
        .select_related("practical")
        .order_by("-graded_at", "-pk")[:limit]
    )
