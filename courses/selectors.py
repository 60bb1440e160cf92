"""Reads of the learning path: catalogue, outline with progress, neighbours, attempts.

The structure of a course comes from its cached outline (`courses.outline`); what a
trainee has done is read per request, never cached with it.
"""

from dataclasses import dataclass, field

from wagtail.models import Page

from .models import CatalogPage, CoursePage, CourseStepPage, Enrolment, ModulePage, QuizAttempt
from .outline import Outline, outline_get


def course_list(*, catalog: CatalogPage):
    return CoursePage.objects.live().public().child_of(catalog).order_by("path")


def enrolment_exists(*, user, course: CoursePage) -> bool:
    if not user.is_authenticated or course is None:
        return False
    return Enrolment.objects.filter(user=user, course=course).exists()


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
class ModuleOutline:
    module: ModulePage
    intro_html: str = ""
    steps: list = field(default_factory=list)  # (step, done) pairs; steps are plain pages


@dataclass
class CourseOutline:
    course: CoursePage
    enrolled: bool
    modules: list[ModuleOutline]
    done_count: int
    step_count: int
    next_step: Page | None

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
        return [step for module in self.modules for step, done in module.steps if not done]


def _course_outline(*, course: CoursePage, outline: Outline, done: set[int], enrolled: bool):
    return CourseOutline(
        course=course,
        enrolled=enrolled,
        modules=[
            ModuleOutline(
                module=entry.module,
                intro_html=entry.intro_html,
                steps=[(step, step.pk in done) for step in entry.steps],
            )
            for entry in outline.modules
        ],
        done_count=sum(1 for step in outline.steps if step.pk in done),
        step_count=len(outline.steps),
        next_step=next((step for step in outline.steps if step.pk not in done), None),
    )


def course_outline(*, course: CoursePage, user) -> CourseOutline:
    """The course's outline (cached, the same for everyone) with this user's progress."""
    outline = outline_get(course=course)
    return _course_outline(
        course=course,
        outline=outline,
        done=steps_done_ids(user=user, steps=outline.steps),
        enrolled=enrolment_exists(user=user, course=course),
    )


def course_outlines_of(*, user) -> list[CourseOutline]:
    """The outline of every course the user is enrolled in, newest enrolment first.

    Progress over all of them is read at once: one query per kind of step, however
    many courses.
    """
    courses = [e.course for e in enrolments_of(user=user)]
    outlines = [outline_get(course=course) for course in courses]
    done = steps_done_ids(user=user, steps=[step for o in outlines for step in o.steps])
    return [
        _course_outline(course=course, outline=outline, done=done, enrolled=True)
        for course, outline in zip(courses, outlines, strict=True)
    ]


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
