"""The instructor's progress grid, inactivity, and the funders' export rows of a cohort."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.activity import active_time_by_user, last_activity_by_user
from courses.models import Activity, QuizAttempt
from courses.outline import outline_get
from courses.selectors import steps_done_ids

from ..models import Booking, Cohort, PrintAttempt


@dataclass
class Cell:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def status(self) -> str:
        if self.total and self.done >= self.total:
            return "done"
        return "started" if self.done else "not_started"

    @property
    def status_label(self) -> str:
        return {
            "done": _("Done"),
            "started": _("In progress"),
            "not_started": _("Not started"),
        }[self.status]


@dataclass
class TraineeRow:
    trainee: object
    cells: list[Cell]
    total: Cell
    last_activity: dt.datetime | None
    active_time: dt.timedelta


@dataclass
class CourseGrid:
    course: object
    modules: list = field(default_factory=list)
    rows: list[TraineeRow] = field(default_factory=list)


def cohort_grid(*, cohort: Cohort) -> list[CourseGrid]:
    """One grid per course of the cohort: trainee × module, with % and status."""
    trainees = list(cohort.trainees.order_by("full_name", "email"))
    ids = [t.pk for t in trainees]
    grids = []
    for course in cohort.courses.live().order_by("title"):
        outline = outline_get(course=course)
        grid = CourseGrid(course=course, modules=[m.module for m in outline.modules])
        last = last_activity_by_user(user_ids=ids, course=course)
        times = active_time_by_user(user_ids=ids, course=course)
        for trainee in trainees:
            done = steps_done_ids(user=trainee, steps=outline.steps)
            cells = [
                Cell(done=sum(1 for s in m.steps if s.pk in done), total=len(m.steps))
                for m in outline.modules
            ]
            total = Cell(done=len(done & {s.pk for s in outline.steps}), total=len(outline.steps))
            grid.rows.append(TraineeRow(trainee, cells, total, last[trainee.pk], times[trainee.pk]))
        grids.append(grid)
    return grids


def cohort_inactive(*, cohort: Cohort, days: int, now: dt.datetime | None = None) -> list:
    """Trainees of the cohort with nothing done in its courses for `days` days (or ever)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    trainees = list(cohort.trainees.order_by("full_name", "email"))
    last = dict.fromkeys((t.pk for t in trainees), None)
    rows = (
        Activity.objects.filter(user__in=trainees, course__in=cohort.courses.all())
        .values("user_id")
        .annotate(last=Max("at"))
    )
    for row in rows:
        last[row["user_id"]] = row["last"]
    return [(t, last[t.pk]) for t in trainees if last[t.pk] is None or last[t.pk] < since]


EXPORT_HEADER = [
    "full_name",
    "email",
    "course",
    "progress_percent",
    "active_minutes",
    "quiz_scores",
    "practical_outcomes",
    "slots_booked",
    "slots_attended",
    "last_activity",
]


def cohort_export_rows(*, cohort: Cohort, now: dt.datetime | None = None) -> list[list]:
    """One row per trainee and course, for funders (columns: `EXPORT_HEADER`)."""
    now = now or timezone.now()
    rows = []
    for grid in cohort_grid(cohort=cohort):
        course = grid.course
        outline = outline_get(course=course)
        step_ids = [s.pk for s in outline.steps]
        for row in grid.rows:
            trainee = row.trainee
            best = (
                QuizAttempt.objects.filter(
                    user=trainee, quiz_id__in=step_ids, status=QuizAttempt.Status.SUBMITTED
                )
                .values("quiz__title")
                .annotate(best=Max("score"))
                .order_by("quiz__title")
            )
            quizzes = "; ".join(f"{q['quiz__title']}: {q['best']} %" for q in best)
            attempts = PrintAttempt.objects.filter(
                trainee=trainee, practical_id__in=step_ids
            ).select_related("practical")
            outcomes = "; ".join(
                f"{a.practical.title}: {a.get_grade_display() or a.get_state_display()}"
                for a in attempts.order_by("created_at")
            )
            past = Booking.objects.filter(
                trainee=trainee,
                practical_id__in=step_ids,
                status=Booking.Status.CONFIRMED,
                starts_at__lt=now,
            )
            attended = past.filter(attempts__isnull=False).distinct().count()
            rows.append(
                [
                    trainee.full_name,
                    trainee.email,
                    course.title,
                    row.total.percent,
                    round(row.active_time.total_seconds() / 60),
                    quizzes,
                    outcomes,
                    past.count(),
                    attended,
                    timezone.localtime(row.last_activity).strftime("%Y-%m-%d %H:%M")
                    if row.last_activity
                    else "",
                ]
            )
    return rows
