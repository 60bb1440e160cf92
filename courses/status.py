"""A trainee's status on each step of a course, read in a few flat queries.

Statuses (`StepStatus`): not started, in progress (viewed, or an attempt under way),
done (a lesson marked done), passed and failed (a quiz or practical assessed). Each
kind of step says what it knows through `CourseStepPage.steps_status` (one query per
kind of step, whatever the course's size); the activity record adds « in progress »
for steps viewed and gives « Reprendre », all in one more query.

Completion rules (shown on the course page): every lesson done, every quiz and every
practical passed. A step counts as complete when its status is done or passed.

« Reprendre » (resume): the step the trainee last viewed or acted on in the course; when
that step is already complete, the first incomplete step after it (or before it, if
every later one is complete); with no activity yet, the first incomplete step.

Sequential unlocking (a course setting): a step is locked until every step before it in
the course is complete. The step's own URL checks it on the server (`step_lock`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import models
from django.db.models import Expression, IntegerField, Max, Value
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .models import Activity, Enrolment


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


COMPLETE = frozenset({StepStatus.DONE, StepStatus.PASSED})
# A symbol drawn next to the words (the words carry the meaning; the symbol is hidden
# from screen readers).
ICONS = {
    StepStatus.NOT_STARTED: "○",
    StepStatus.IN_PROGRESS: "◐",
    StepStatus.DONE: "✓",
    StepStatus.PASSED: "✓",
    StepStatus.FAILED: "✗",
}


class Ids(Expression):
    """A list of ids passed to the database as one parameter: `field__in=Ids(ids)`.

    A plain list in `__in` is one SQL parameter per id, each prepared by Django in
    Python: for the 200 steps of a course, or the 400 of a trainee's two courses, that
    cost more than everything else the query does, and grew with the course. This is
    `IN (SELECT unnest(%s))` on PostgreSQL (one array) and `IN (SELECT value FROM
    json_each(%s))` on SQLite (one JSON text). It is also a sequence of the ids, for code
    that iterates them.
    """

    output_field = IntegerField()

    def __init__(self, ids: Iterable[int]):
        super().__init__()
        self.ids = [int(pk) for pk in ids]

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, pk) -> bool:
        return pk in self.ids

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            return "SELECT unnest(%s::integer[])", [self.ids]
        return "SELECT value FROM json_each(%s)", [json.dumps(self.ids, separators=(",", ":"))]


def steps_status(*, user, steps: Iterable[Page]) -> dict[int, str]:
    """What each kind of step knows of `user` on `steps`: one query per kind of step,
    with the steps' ids as one parameter (`Ids`), whatever their number.

    Steps absent from the answer have no assessed state (not started or only viewed).
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    by_class: dict[type, list[int]] = {}
    for step in steps:
        by_class.setdefault(step.specific_class, []).append(step.id)
    found: dict[int, str] = {}
    for cls, ids in sorted(by_class.items(), key=lambda item: item[0].__name__):
        found.update(cls.steps_status(user=user, page_ids=Ids(ids)))
    return found


def pages_visited(*, user, course_ids: Iterable[int]) -> dict[int, tuple[int, object]]:
    """page id -> (course id, last time) of every page `user` viewed or did in the courses.

    One query over the activity record (grouped by page), for any number of courses.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = (
        Activity.objects.filter(user=user, course_id__in=list(course_ids), page__isnull=False)
        .values("page_id", "course_id")
        .annotate(last=Max("at"))
        .values_list("page_id", "course_id", "last")
        .order_by()
    )
    return {page_id: (course_id, last) for page_id, course_id, last in rows}


def enrolment_and_visits(*, user, course_id: int) -> tuple[bool, dict[int, tuple[int, object]]]:
    """Whether `user`'s enrolment opens the course, and (when it does) what `pages_visited`
    says of it: one query (the checked enrolment's row and the activity record's, `UNION
    ALL`), more only for someone without a checked enrolment."""
    if not getattr(user, "is_authenticated", False):
        return False, {}
    visits = (
        Activity.objects.filter(user=user, course_id=course_id, page__isnull=False)
        .values("page_id")
        .annotate(last=Max("at"))
        .values_list("page_id", "last")
        .order_by()
    )
    enrolment = (
        Enrolment.objects.filter(user=user, course_id=course_id, prerequisites_checked=True)
        .values_list(Value(None, output_field=IntegerField()), "created_at")
        .order_by()
    )
    rows = list(enrolment.union(visits, all=True))
    if not any(page_id is None for page_id, _at in rows):
        # No enrolment the service checked: one written around it opens the course only
        # once its prerequisites are complete (`enrolment_exists`, one or two queries).
        from .models import CoursePage
        from .selectors import enrolment_exists

        course = CoursePage.objects.filter(pk=course_id).first()
        if not enrolment_exists(user=user, course=course):
            return False, {}
    return True, {page_id: (course_id, at) for page_id, at in rows if page_id is not None}


def status_of(pk: int, assessed: dict[int, str], visited) -> str:
    status = assessed.get(pk)
    if status is not None:
        return status
    return StepStatus.IN_PROGRESS if pk in visited else StepStatus.NOT_STARTED


def resume_step(steps: list[Page], statuses: dict[int, str], visited) -> Page | None:
    """Where the trainee left off (the rule is in the module docstring)."""
    incomplete = [i for i, s in enumerate(steps) if statuses[s.id] not in COMPLETE]
    if not incomplete:
        return None
    seen = [(visited[s.id][1], i) for i, s in enumerate(steps) if s.id in visited]
    if not seen:
        return steps[incomplete[0]]
    _at, last = max(seen)
    if statuses[steps[last].id] not in COMPLETE:
        return steps[last]
    after = [i for i in incomplete if i > last]
    return steps[(after or incomplete)[0]]


def locks(steps: list[Page], statuses: dict[int, str]) -> dict[int, Page]:
    """Sequential unlocking: locked step id -> the first incomplete step before it."""
    locked: dict[int, Page] = {}
    blocker = None
    for step in steps:
        if blocker is not None:
            locked[step.id] = blocker
        elif statuses[step.id] not in COMPLETE:
            blocker = step
    return locked
