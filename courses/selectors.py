"""Reads of the learning path: catalogue, outline with progress, neighbours, attempts.

The structure of a course comes from its cached outline (`courses.outline`); what a
trainee has done is read per request, never cached with it.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.encoding import iri_to_uri
from wagtail.models import Page

from .models import CatalogPage, CoursePage, CourseStepPage, Enrolment, ModulePage, QuizAttempt
from .outline import Outline, outline_get
from .status import (
    COMPLETE,
    ICONS,
    StepStatus,
    course_statuses,
    locks,
    resume_step,
    steps_status,
)


def course_list(*, catalog: CatalogPage):
    return CoursePage.objects.live().public().child_of(catalog).order_by("path")


@dataclass
class CatalogueFilters:
    level: str = ""
    topic: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query) -> "CatalogueFilters":
        """Filters from a GET query; values that match nothing known are ignored."""
        level = query.get("level", "")
        return cls(
            level=level if level in CoursePage.Level.values else "",
            topic=query.get("topic", "")[:80],
            q=" ".join(query.get("q", "").split())[:200],
        )

    @property
    def active(self) -> bool:
        return bool(self.level or self.topic or self.q)


def course_search(*, catalog: CatalogPage, filters: CatalogueFilters) -> list[CoursePage]:
    """The catalogue's courses at `filters`: level and topic in SQL, then the words through
    Wagtail search (its database backend on SQLite and PostgreSQL), best match first."""
    courses = course_list(catalog=catalog)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.topic:
        courses = courses.filter(topics__slug=filters.topic)
    if not filters.q:
        return list(courses.select_related("cover").prefetch_related("topics"))
    ids = list(courses.values_list("pk", flat=True))
    found = [c.pk for c in CoursePage.objects.live().filter(pk__in=ids).search(filters.q)]
    by_pk = {c.pk: c for c in CoursePage.objects.filter(pk__in=found).prefetch_related("topics")}
    return [by_pk[pk] for pk in found if pk in by_pk]


def enrolment_exists(*, user, course: CoursePage) -> bool:
    """Whether `user` has an enrolment that opens `course` (its steps, quizzes, bookings).

    One query. An enrolment the service checked opens the course; one written by another
    path (`prerequisites_checked` False) opens it only once the prerequisites are complete,
    so no path around `enrolment_create` unlocks a course behind its prerequisites.
    """
    if not user.is_authenticated or course is None:
        return False
    checked = (
        Enrolment.objects.filter(user=user, course=course)
        .values_list("prerequisites_checked", flat=True)
        .first()
    )
    if checked is None:
        return False
    return checked or not prerequisites_missing(user=user, course=course)


def course_steps(*, course: CoursePage) -> list[CourseStepPage]:
    """Every live step of the course as its specific page (with its body), in order.

    For navigation and progress use the cached outline (`course_outline`, `outline_get`).
    """
    return list(
        Page.objects.live().descendant_of(course).type(CourseStepPage).specific().order_by("path")
    )


def steps_done_ids(*, user, steps: list[Page]) -> set[int]:
    """Which of `steps` the user has completed: one query per kind of step.

    `steps` may be specific pages or the plain pages of an outline.
    """
    if not user.is_authenticated:
        return set()
    by_class: dict[type, list[int]] = {}
    for step in steps:
        by_class.setdefault(step.specific_class, []).append(step.pk)
    done: set[int] = set()
    for cls, ids in sorted(by_class.items(), key=lambda item: item[0].__name__):
        done |= cls.steps_done(user=user, page_ids=ids)
    return done


@dataclass
class StepRow:
    """One step of the course page: the step (a plain page), this trainee's status, and
    the earlier step that keeps it locked when the course unlocks steps in order."""

    step: Page
    status: str
    locked_by: Page | None = None

    @property
    def complete(self) -> bool:
        return self.status in COMPLETE

    @property
    def icon(self) -> str:
        return ICONS[self.status]

    @property
    def status_label(self) -> str:
        return StepStatus(self.status).label


@dataclass
class ModuleOutline:
    module: ModulePage
    intro_html: str = ""
    rows: list[StepRow] = field(default_factory=list)

    @property
    def steps(self) -> list[tuple[Page, bool]]:
        """(step, complete) pairs."""
        return [(row.step, row.complete) for row in self.rows]


@dataclass
class CourseOutline:
    course: CoursePage
    enrolled: bool
    outline: Outline  # the cached structure these statuses were read for
    statuses: dict[int, str]  # step id -> `StepStatus` value
    locked_by: dict[int, Page]  # locked step id -> the first incomplete step before it
    done_count: int
    step_count: int
    next_step: Page | None  # the first incomplete step
    resume: Page | None = None  # « Reprendre » (`courses.status.resume_step`)
    started: bool = False  # anything viewed or done in the course

    @cached_property
    def modules(self) -> list[ModuleOutline]:
        """Modules with a row per step (the course page joins cached HTML instead:
        `courses.fragments.outline_html`)."""
        return [
            ModuleOutline(
                module=entry.module,
                intro_html=entry.intro_html,
                rows=[
                    StepRow(
                        step=step,
                        status=self.statuses[step.pk],
                        locked_by=self.locked_by.get(step.pk),
                    )
                    for step in entry.steps
                ],
            )
            for entry in self.outline.modules
        ]

    @property
    def percent(self) -> int:
        if not self.step_count:
            return 0
        return round(100 * self.done_count / self.step_count)

    @property
    def complete(self) -> bool:
        return self.step_count > 0 and self.done_count == self.step_count

    @property
    def missing(self) -> list[Page]:
        return [s for s in self.outline.steps if self.statuses[s.pk] not in COMPLETE]

    @property
    def course_url(self) -> str:
        """The course's URL as `{% pageurl %}` writes it, without asking Wagtail for its
        sites: from a step's URL, which the outline computed from the course's."""
        for step in self.outline.steps:
            if step.outline_url is not None:
                suffix = len(step.url_path) - len(self.course.url_path)
                return iri_to_uri(step.outline_url[: len(step.outline_url) - suffix])
        return self.course.url or ""

    @property
    def resume_url(self) -> str:
        """The URL of « Reprendre », as `{% pageurl %}` writes it."""
        if self.resume is None:
            return ""
        if self.resume.outline_url is None:
            return self.resume.url or ""
        return iri_to_uri(self.resume.outline_url)


def _course_outline(
    *, course: CoursePage, outline: Outline, assessed: dict, visited: dict, enrolled: bool
):
    # Outline steps are plain pages: `id` is their primary key (`.pk` is a property).
    steps = outline.steps
    statuses = {}
    done_count = 0
    next_step = None
    started = False
    for step in steps:
        pk = step.id
        status = assessed.get(pk)
        if status is None:
            status = StepStatus.IN_PROGRESS if pk in visited else StepStatus.NOT_STARTED
        else:
            started = True
        statuses[pk] = status
        if pk in visited:
            started = True
        if status in COMPLETE:
            done_count += 1
        elif next_step is None:
            next_step = step
    return CourseOutline(
        course=course,
        enrolled=enrolled,
        outline=outline,
        statuses=statuses,
        locked_by=locks(steps, statuses) if course.sequential else {},
        done_count=done_count,
        step_count=len(steps),
        next_step=next_step,
        resume=resume_step(steps, statuses, visited),
        started=started,
    )


def course_outline(*, course: CoursePage, user) -> CourseOutline:
    """The course's outline (cached, the same for everyone) with this user's statuses.

    Flat in the course's size: one statement (`courses.status.course_statuses`).
    """
    return course_outline_read(course=course, outline=outline_get(course=course), user=user)


def course_outline_read(*, course: CoursePage, outline: Outline, user) -> CourseOutline:
    """`course_outline` on an outline the caller already has (routing read it): the
    enrolment, the activity record and every kind of step's rows in one statement
    (`courses.status.course_statuses`)."""
    enrolled, visited, assessed = course_statuses(user=user, outline=outline)
    return _course_outline(
        course=course, outline=outline, assessed=assessed, visited=visited, enrolled=enrolled
    )


def courses_complete(*, user, courses: list[CoursePage]) -> set[int]:
    """The ids of `courses` that `user` has completed (every step done or passed).

    A course with no steps is never complete. Flat: one query per kind of step.
    """
    outlines = [outline_get(course=course) for course in courses]
    assessed = steps_status(user=user, steps=[step for o in outlines for step in o.steps])
    return {
        o.course_id
        for o in outlines
        if o.steps and all(assessed.get(s.pk) in COMPLETE for s in o.steps)
    }


def prerequisites_missing(*, user, course: CoursePage) -> list[CoursePage]:
    """The prerequisite courses of `course` that `user` has not completed, in order."""
    required = list(CoursePage.objects.live().filter(required_by=course.pk).order_by("path"))
    if not required:
        return []
    done = courses_complete(user=user, courses=required)
    return [c for c in required if c.pk not in done]


def step_lock(*, step: CourseStepPage, user) -> Page | None:
    """When the course unlocks steps in order: the first incomplete step before `step`
    (what keeps it locked), or None when `step` is open."""
    course = step.course()
    if course is None or not course.sequential:
        return None
    before = steps_before(step=step)
    if not before:
        return None
    assessed = steps_status(user=user, steps=before)
    return next((s for s in before if assessed.get(s.pk) not in COMPLETE), None)


def steps_before(*, step: CourseStepPage) -> list[Page]:
    """The steps of the same course that come before `step` (from the cached outline)."""
    course = step.course()
    if course is None:
        return []
    return [s for s in outline_get(course=course).steps if s.path < step.path]


def step_neighbours(*, step: CourseStepPage):
    """The previous and next steps of `step` in its course, from the cached outline."""
    course = step.course()
    if course is None:
        return None, None
    steps = outline_get(course=course).steps
    i = next((i for i, s in enumerate(steps) if s.pk == step.pk), None)
    if i is None:
        return None, None
    return (steps[i - 1] if i > 0 else None, steps[i + 1] if i + 1 < len(steps) else None)


def quiz_attempt_latest(*, user, quiz) -> QuizAttempt | None:
    if not user.is_authenticated:
        return None
    return QuizAttempt.objects.filter(user=user, quiz=quiz).first()


def enrolments_of(*, user):
    return Enrolment.objects.filter(user=user).select_related("course").order_by("-created_at")
