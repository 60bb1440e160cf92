"""One trainee's rows from several tables, read in one statement (`UNION ALL`).

A page that shows a trainee everything at once (the dashboard) read each part in a
query of its own: a dozen statements, each built by the ORM's compiler on every request
and planned by PostgreSQL, while each ran in well under a millisecond. Here every part
is a `values_list` of the same columns (`COLUMNS`: a kind, then numbers, texts, times
and a flag, NULL where a part has nothing to say), so the parts can be joined into one
`UNION ALL`, compiled once per process (`courses.precompiled_rows.PrecompiledRows`) and run
with the trainee's id. Each app builds its own parts and reads its own rows back
(`practicals.trainee_rows`, `certificates.trainee_rows`); the page that needs them
(`lms.dashboard`) only puts them together.

Nothing here is cached: every row is read on every request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    Max,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.utils.encoding import iri_to_uri

from .models import (
    CourseCompetency,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from .models.activity import Activity
from .outline import COURSE_FIELDS, outline_get, version_key
from .status import Ids

# (name, type) of every part's columns, in order. Each part fills those it knows.
COLUMNS = (
    ("kind", CharField),
    ("ref", IntegerField),
    ("ref2", IntegerField),
    ("number", IntegerField),
    ("text1", TextField),
    ("text2", TextField),
    ("text3", TextField),
    ("at1", DateTimeField),
    ("at2", DateTimeField),
    ("flag", BooleanField),
)
KIND, REF, REF2, NUMBER, TEXT1, TEXT2, TEXT3, AT1, AT2, FLAG = range(len(COLUMNS))


def row_part(queryset: QuerySet, kind: str, **columns) -> QuerySet:
    """`queryset` as rows of `COLUMNS`: `kind` first, then each column given (a field
    name or an expression), NULL (typed, as PostgreSQL's UNION needs) for the others."""
    unknown = set(columns) - {name for name, _ in COLUMNS}
    if unknown:
        raise ValueError(f"unknown columns: {sorted(unknown)}")
    values = {}
    for name, field in COLUMNS:
        if name == "kind":
            expression = Cast(Value(kind), output_field=field())
        elif name in columns:
            given = columns[name]
            expression = F(given) if isinstance(given, str) else given
        else:
            expression = Cast(Value(None), output_field=field())
        values[f"row_{name}"] = expression
    return queryset.order_by().annotate(**values).values_list(*values)


def rows_union(parts: list[QuerySet]) -> QuerySet:
    first, *others = parts
    return first.union(*others, all=True)


def rows_by_kind(rows: Iterable[tuple]) -> dict[str, list[tuple]]:
    by_kind: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_kind[row[KIND]].append(row)
    return by_kind


# The parts courses knows: enrolments, lessons done, quiz attempts, pages visited, and the
# live prerequisites of courses entered without the service's check.


def enrolment_rows(user_id) -> QuerySet:
    return row_part(
        Enrolment.objects.filter(user_id=user_id),
        "enrolment",
        ref="course_id",
        number="pk",
        at1="created_at",
        flag="prerequisites_checked",
    )


class IdsJoined(Aggregate):
    """The ids of a group as one text, comma-separated: one row where a part would give
    one per id (a trainee's lessons done: a hundred rows at L, each a row of `COLUMNS`
    for the database driver to read)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def ids_split(text: str | None) -> list[int]:
    return [int(pk) for pk in text.split(",")] if text else []


def lesson_done_rows(user_id) -> QuerySet:
    """The lessons done, as one row (`IdsJoined`), none without any."""
    return row_part(
        LessonCompletion.objects.filter(user_id=user_id).values("user_id"),
        "lessons",
        text1=IdsJoined("lesson_id"),
    )


def quiz_attempt_rows(user_id) -> QuerySet:
    return row_part(
        QuizAttempt.objects.filter(user_id=user_id),
        "quiz",
        ref="quiz_id",
        number="pk",
        ref2="score",
        text1="status",
        at1="started_at",
        at2="submitted_at",
        flag="passed",
    )


def visit_rows(user_id) -> QuerySet:
    """page id, course id and the last time, per page viewed or done (`pages_visited`)."""
    return row_part(
        Activity.objects.filter(user_id=user_id, page__isnull=False).values("page_id", "course_id"),
        "visit",
        ref="page_id",
        ref2="course_id",
        at1=Max("at"),
    )


def prerequisite_rows(user_id) -> QuerySet:
    """(course, prerequisite) for each course the trainee entered without the service's
    check (`prerequisites_missing` decides those; the others need nothing). No join:
    whether the prerequisite is live is for `prerequisites_missing` to say."""
    link = CoursePage.prerequisites.through
    unchecked = Enrolment.objects.filter(user_id=user_id, prerequisites_checked=False)
    return row_part(
        link.objects.filter(from_coursepage_id__in=unchecked.values("course_id")),
        "prerequisite",
        ref="from_coursepage_id",
        ref2="to_coursepage_id",
    )


def competency_rows(user_id) -> QuerySet:
    """(course, competency) certified by a course the trainee is enrolled in: when there
    is none, the competencies need no query of their own (`competency_states`, when
    there is some, reads only the live courses')."""
    enrolled = Enrolment.objects.filter(user_id=user_id)
    return row_part(
        CourseCompetency.objects.filter(course_id__in=enrolled.values("course_id")),
        "competency",
        ref="course_id",
        ref2="competency_id",
    )


def course_parts(user_id) -> list[QuerySet]:
    return [
        enrolment_rows(user_id),
        lesson_done_rows(user_id),
        quiz_attempt_rows(user_id),
        visit_rows(user_id),
        prerequisite_rows(user_id),
        competency_rows(user_id),
    ]


def competencies_certified(rows: dict[str, list[tuple]], course_ids) -> bool:
    """Whether any of `course_ids` certifies a competency (`competency_rows`)."""
    course_ids = set(course_ids)
    return any(row[REF] in course_ids for row in rows.get("competency", ()))


# Reading them back.

# The kinds of step whose statuses `step_statuses` reads from these rows.
STEP_KINDS = frozenset({LessonPage, QuizPage})


def step_statuses(rows: dict[str, list[tuple]]) -> dict[int, str]:
    """step id -> assessed status for the lessons and quizzes (as their `steps_status`)."""
    found = {}
    for row in rows.get("lessons", ()):
        found.update(dict.fromkeys(ids_split(row[TEXT1]), "done"))
    attempts = [
        (row[REF], row[NUMBER], row[TEXT1], row[FLAG], row[AT1]) for row in rows.get("quiz", ())
    ]
    found.update(QuizPage.status_read(attempts))
    return found


# The content types of each outline's steps, by outline version: computed once per process
# (the outline never changes under its version; a new version is a new key).
_step_types: dict[tuple[int, str], frozenset[int]] = {}
_STEP_TYPES_MAX = 64


def _types_of(outline) -> frozenset[int]:
    key = (outline.course_id, outline.version)
    found = _step_types.get(key)
    if found is None:
        found = frozenset(step.content_type_id for step in outline.steps)
        if len(_step_types) >= _STEP_TYPES_MAX:
            _step_types.clear()
        _step_types[key] = found
    return found


def steps_status_others(*, user, outlines: list, known: frozenset) -> dict[int, str]:
    """The statuses of the outlines' steps of kinds not in `known` (a kind of step added
    without rows of its own): its `steps_status`, one query per kind. None today."""
    from django.contrib.contenttypes.models import ContentType

    known_types = {ct.pk for ct in ContentType.objects.get_for_models(*known).values()}
    if all(_types_of(outline) <= known_types for outline in outlines):
        return {}
    by_class: dict[type, list[int]] = {}
    for outline in outlines:
        for step in outline.steps:
            if step.content_type_id not in known_types:
                by_class.setdefault(step.specific_class, []).append(step.id)
    found: dict[int, str] = {}
    for cls, ids in sorted(by_class.items(), key=lambda item: item[0].__name__):
        found.update(cls.steps_status(user=user, page_ids=Ids(ids)))
    return found


def enrolled_course_ids(*, user, rows: dict[str, list[tuple]]) -> list[int]:
    """The courses `user` is enrolled in, newest enrolment first, without those entered
    around the service whose prerequisites are not complete."""
    from .selectors import prerequisites_missing

    enrolments = sorted(
        rows.get("enrolment", ()), key=lambda row: (row[AT1], row[NUMBER]), reverse=True
    )
    required = {row[REF] for row in rows.get("prerequisite", ())}
    ids = []
    for row in enrolments:
        course_id, checked = row[REF], row[FLAG]
        if not checked and course_id in required:
            course = CoursePage.objects.get(pk=course_id)
            if prerequisites_missing(user=user, course=course):
                continue
        ids.append(course_id)
    return ids


def outlines_read(course_ids: list[int]) -> list:
    """The cached outlines of `course_ids`, their versions read in one round trip."""
    from django.core.cache import cache

    if not course_ids:
        return []
    prefetched = cache.get_many([version_key(pk) for pk in course_ids])
    return [outline_get(course_id=pk, prefetched=prefetched) for pk in course_ids]


@dataclass(frozen=True)
class CourseHead:
    """What the dashboard reads of a course (`CourseOutline.course`), from its outline's
    row: building the deferred `CoursePage` cost more than the rest of its card."""

    pk: int
    title: str
    url_path: str
    sequential: bool

    @property
    def id(self) -> int:
        return self.pk

    @property
    def url(self) -> str:
        return CoursePage.objects.get(pk=self.pk).url  # only without any step (rare)

    @classmethod
    def of(cls, outline) -> CourseHead:
        row = dict(zip(COURSE_FIELDS, outline.course_row, strict=True))
        return cls(
            pk=outline.course_id,
            title=row["title"],
            url_path=row["url_path"],
            sequential=row["sequential"],
        )


def course_outlines_from(*, outlines: list, assessed: dict[int, str], rows) -> list:
    """The `CourseOutline` of each of `outlines` (the course as the outline holds it, no
    query), with the statuses `assessed` and the visits among `rows`."""
    from .selectors import _course_outline

    course_ids = {o.course_id for o in outlines}
    visited = {
        row[REF]: (row[REF2], row[AT1]) for row in rows.get("visit", ()) if row[REF2] in course_ids
    }
    return [
        _course_outline(
            course=CourseHead.of(outline),
            outline=outline,
            assessed=assessed,
            visited=visited,
            enrolled=True,
        )
        for outline in outlines
    ]


def steps_by_id(outlines: list) -> dict[int, object]:
    """step id -> the outline's step (title, URL), for the steps a page names."""
    return {step.id: step for outline in outlines for step in outline.steps}


def _page(page_id: int, steps: dict[int, object]):
    """A step from the outlines' `steps` (`steps_by_id`), else its page: a step of a
    course the trainee has left, or of a module taken offline (one query, rare)."""
    step = steps.get(page_id)
    if step is None:
        from wagtail.models import Page

        step = Page.objects.filter(pk=page_id).first()
        if step is not None:
            step.outline_url = None
        steps[page_id] = step
    return step


def step_title(page_id: int, steps: dict[int, object]) -> str:
    step = _page(page_id, steps)
    return step.title if step is not None else ""


def step_url(page_id: int, steps: dict[int, object]) -> str:
    """A step's URL as `{% pageurl %}` writes it."""
    step = _page(page_id, steps)
    if step is None:
        return ""
    if step.outline_url is not None:
        return iri_to_uri(step.outline_url)
    return step.url or ""
