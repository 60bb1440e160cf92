"""Reads of practicals: what a trainee sees on a practical page, the grading queue."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Page

from courses.models import CoursePage
from courses.selectors import enrolment_exists, steps_before

from .access import farms_staffed_by
from .models import Booking, PracticalPage, PrintAttempt
from .slot_cache import free_offer


def prerequisites_missing(*, practical: PracticalPage, user) -> list:
    """The steps before this practical that the trainee has not completed yet.

    One query per kind of step, each over the pages of the course before the practical
    given as a subquery (two parameters) rather than as a list of ids: psycopg parses a
    statement of more than 50 parameters again at every execution, which made this page
    cost more after 200 lessons than after 15.
    """
    before = steps_before(step=practical)
    if not before or not user.is_authenticated:
        return list(before)
    course = practical.course()
    pages_before = Page.objects.filter(
        path__startswith=course.path, path__lt=practical.path
    ).values("pk")
    done: set[int] = set()
    for cls in {step.specific_class for step in before}:
        done |= cls.steps_done(user=user, page_ids=pages_before)
    return [step for step in before if step.pk not in done]


@dataclass
class PracticalState:
    enrolled: bool = False
    missing: list = field(default_factory=list)
    booking: Booking | None = None
    attempts: list = field(default_factory=list)
    passed: bool = False


def practical_state(
    *, practical: PracticalPage, user, now=None, enrolled: bool | None = None
) -> PracticalState:
    """What the practical page shows this trainee. `enrolled`: when the caller already
    knows (the page's `serve` refuses anyone not enrolled), no query asks again."""
    now = now or timezone.now()
    state = PracticalState()
    if not user.is_authenticated:
        return state
    state.enrolled = (
        enrolled if enrolled is not None else enrolment_exists(user=user, course=practical.course())
    )
    state.missing = prerequisites_missing(practical=practical, user=user)
    state.booking = (
        Booking.objects.filter(
            trainee=user,
            practical=practical,
            status=Booking.Status.CONFIRMED,
            ends_at__gt=now,
        )
        .select_related("printer__farm")
        .defer("printer__api_key")  # decrypting it costs more than the query; never shown
        .first()
    )
    state.attempts = list(PrintAttempt.objects.filter(trainee=user, practical=practical))
    state.passed = any(a.grade == PrintAttempt.Grade.PASSED for a in state.attempts)
    return state


NEXT_FREE = 6  # the "next free slots" shown first on the booking page


@dataclass
class SlotChoices:
    """What the booking page offers: the next free times (any farm), the farms that have
    free times, and for the chosen farm the days on offer and one day's times."""

    soonest: list = field(default_factory=list)
    farms: list = field(default_factory=list)
    farm: object | None = None
    days: list = field(default_factory=list)
    day: dt.date | None = None
    times: list = field(default_factory=list)


def slot_choice(query) -> dict:
    """The day and farm asked for in a query string (`?farm=3&day=2026-12-01`)."""
    try:
        day = dt.date.fromisoformat(query.get("day", ""))
    except ValueError:
        day = None
    farm = query.get("farm", "")
    return {"day": day, "farm_id": int(farm) if farm.isdigit() else None}


def slots_by_day(
    *,
    practical: PracticalPage,
    day: dt.date | None = None,
    farm_id: int | None = None,
    now=None,
) -> SlotChoices:
    """The next free start times, the farms and days that have any, and the times of `day`
    at the farm `farm_id` (by default the farm of the soonest free time, and its first day
    on offer). One entry per start time and farm, with the printers free then: the page
    offers a time, not every printer × time, and one farm's day, not the whole fleet's.
    The free times come from the cache (`slot_cache`), which any change renews."""
    offer = free_offer(practical=practical, now=now)
    rows = offer.rows
    if not rows:
        return SlotChoices()
    farm = offer.farms.get(farm_id) or offer.farms[rows[0][2]]
    tz = farm.tzinfo
    mine = [row for row in rows if row[2] == farm.pk]
    local = [dt.datetime.fromtimestamp(row[0], tz).date() for row in mine]
    days = sorted(set(local))
    if day not in days:
        day = days[0]
    return SlotChoices(
        soonest=[offer.time(row) for row in rows[:NEXT_FREE]],
        farms=sorted(offer.farms.values(), key=lambda f: f.name) if len(offer.farms) > 1 else [],
        farm=farm,
        days=days,
        day=day,
        times=[offer.time(row) for row, d in zip(mine, local, strict=True) if d == day],
    )


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
