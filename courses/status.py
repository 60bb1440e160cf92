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
from django.db.models import BooleanField, Expression, IntegerField, Max
from django.db.models.functions import Cast
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

    def param(self, connection) -> str:
        """The ids as one text parameter in place of the one `as_sql` passes: an array's
        text on PostgreSQL (cast by the SQL), JSON on SQLite. Written once per object
        (the course page keeps its `Ids` per outline version: `course_statuses`)."""
        vendor, text = self.__dict__.get("_text", (None, ""))
        if vendor != connection.vendor:
            if connection.vendor == "postgresql":
                text = "{" + ",".join(map(str, self.ids)) + "}"
            else:
                text = json.dumps(self.ids, separators=(",", ":"))
            self._text = (connection.vendor, text)
        return text

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


class _LastVisited(Expression):
    """Whether the group's page (the activity record grouped by page) is the one the
    trainee viewed or acted on last in the course: `MAX(at)` equal to the course's
    latest time (ties: several pages). An aggregate: in the select, never grouped by."""

    contains_aggregate = True
    output_field = BooleanField()

    def __init__(self, user_id, course_id):
        super().__init__()
        self.user_id, self.course_id = user_id, course_id

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        table = Activity._meta.db_table
        return (
            f'MAX("{table}"."at") = (SELECT MAX(V0."at") FROM "{table}" V0 WHERE '
            'V0."user_id" = %s AND V0."course_id" = %s AND V0."page_id" IS NOT NULL)',
            [self.user_id, self.course_id],
        )


# One compiled statement per set of step classes (`course_statuses`).
_COURSE_STATUSES: dict[tuple, object] = {}


def _course_statuses_query(classes: tuple[type, ...]):
    from django.db.models import CharField, DateTimeField

    from .precompiled_rows import PrecompiledRows

    def build(user_id, course_id, *ids):
        # Five columns: (page id, row id, word, flag, time). The activity record's rows
        # have no row id, the enrolment's no page id; the steps' rows have both.
        # First, the branch whose columns' types convert the rows (times, flags). A page
        # viewed says only whether it is the last one (« Reprendre »): no time to read.
        visits = (
            Activity.objects.filter(user_id=user_id, course_id=course_id, page__isnull=False)
            .values("page_id")
            .annotate(last=_LastVisited(user_id, course_id))
            .order_by()
            .values_list(
                "page_id",
                Cast(None, IntegerField()),
                Cast(None, CharField()),
                "last",
                Cast(None, DateTimeField()),
            )
        )
        enrolment = (
            Enrolment.objects.filter(
                user_id=user_id, course_id=course_id, prerequisites_checked=True
            )
            .order_by()
            .values_list(
                Cast(None, IntegerField()),
                "pk",
                Cast(None, CharField()),
                Cast(None, BooleanField()),
                "created_at",
            )
        )
        steps = [
            cls.status_rows(user_id=user_id, page_ids=page_ids)
            for cls, page_ids in zip(classes, ids, strict=True)
        ]
        return visits.union(enrolment, *steps, all=True)

    return PrecompiledRows(build)


# Per outline version: the steps' ids by class (as `Ids`), and each step's class.
_by_class: dict[tuple, tuple[dict, dict]] = {}
_BY_CLASS_MAX = 64


def _steps_by_class(outline) -> tuple[dict[type, Ids], dict[int, type]]:
    key = (outline.course_id, outline.version)
    known = _by_class.get(key) if outline.version else None
    if known is None:
        ids: dict[type, list[int]] = {}
        class_of: dict[int, type] = {}
        for step in outline.steps:
            cls = class_of[step.id] = step.specific_class
            ids.setdefault(cls, []).append(step.id)
        known = ({cls: Ids(pks) for cls, pks in ids.items()}, class_of)
        if len(_by_class) >= _BY_CLASS_MAX:
            _by_class.clear()
        _by_class[key] = known
    return known


def _joinable(cls) -> bool:
    """The class gives its rows (`CourseStepPage.status_rows`)."""
    from .models import CourseStepPage

    return cls.status_rows.__func__ is not CourseStepPage.status_rows.__func__


def course_statuses(*, user, outline) -> tuple[bool, dict, dict[int, str]]:
    """(enrolled, visited, assessed) for `user` on the course of `outline`: what
    `enrolment_and_visits` and `steps_status` say, in one statement compiled once per
    process (the activity record grouped by page, the checked enrolment, and each kind
    of step's `status_rows`, `UNION ALL`), each kind of step judging its own rows
    (`status_read`). More statements only for a kind of step without rows to give, or
    for someone without a checked enrolment (`enrolment_exists`)."""
    if not getattr(user, "is_authenticated", False):
        return False, {}, {}
    by_class, class_of = _steps_by_class(outline)
    joined = tuple(sorted((cls for cls in by_class if _joinable(cls)), key=lambda c: c.__name__))
    query = _COURSE_STATUSES.get(joined)
    if query is None:
        query = _COURSE_STATUSES[joined] = _course_statuses_query(joined)
    rows = query.rows(user.pk, outline.course_id, *(by_class[cls] for cls in joined))
    enrolled = False
    visited: dict[int, tuple[int, object]] = {}
    per_class: dict[type, list] = {cls: [] for cls in joined}
    last_elsewhere = False
    for row in rows:
        page_id = row[0]
        if page_id is None:
            enrolled = True
        elif row[1] is None:
            # (course, whether viewed last): what `resume_step` compares.
            visited[page_id] = (outline.course_id, bool(row[3]))
            last_elsewhere |= bool(row[3]) and page_id not in class_of
        else:
            per_class[class_of[page_id]].append(row)
    if last_elsewhere:
        # The page viewed last is no step of the outline any more (unpublished since):
        # which step came last needs the times.
        visited = pages_visited(user=user, course_ids=[outline.course_id])
    assessed: dict[int, str] = {}
    for cls, class_rows in per_class.items():
        assessed.update(cls.status_read(class_rows))
    for cls, ids in sorted(by_class.items(), key=lambda item: item[0].__name__):
        if cls not in per_class:
            assessed.update(cls.steps_status(user=user, page_ids=ids))
    if not enrolled:
        # No enrolment the service checked: one written around it opens the course only
        # once its prerequisites are complete (`enrolment_exists`, one or two queries).
        from .models import CoursePage
        from .selectors import enrolment_exists

        course = CoursePage.objects.filter(pk=outline.course_id).first()
        if not enrolment_exists(user=user, course=course):
            return False, {}, assessed
        enrolled = True
    return enrolled, visited, assessed


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
