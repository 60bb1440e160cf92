"""Reads of the learning path: catalogue, outline with progress, neighbours, attempts."""

from dataclasses import dataclass, field

from wagtail.models import Page

from .models import CatalogPage, CoursePage, CourseStepPage, Enrolment, ModulePage, QuizAttempt


def course_list(*, catalog: CatalogPage):
    return CoursePage.objects.live().public().child_of(catalog).order_by("path")


def enrolment_exists(*, user, course: CoursePage) -> bool:
    if not user.is_authenticated or course is None:
        return False
    return Enrolment.objects.filter(user=user, course=course).exists()


def course_steps(*, course: CoursePage) -> list[CourseStepPage]:
    """Every live step of the course, in the order a trainee meets them."""
    return list(
        Page.objects.live().descendant_of(course).type(CourseStepPage).specific().order_by("path")
    )


def steps_done_ids(*, user, steps: list[CourseStepPage]) -> set[int]:
    """Which of `steps` the user has completed: one query per kind of step."""
    if not user.is_authenticated:
        return set()
    by_class: dict[type, list[int]] = {}
    for step in steps:
        by_class.setdefault(type(step), []).append(step.pk)
    done: set[int] = set()
    for cls, ids in by_class.items():
        done |= cls.steps_done(user=user, page_ids=ids)
    return done


@dataclass
class ModuleOutline:
    module: ModulePage
    steps: list = field(default_factory=list)  # (step, done) pairs


@dataclass
class CourseOutline:
    course: CoursePage
    enrolled: bool
    modules: list[ModuleOutline]
    done_count: int
    step_count: int
    next_step: CourseStepPage | None

    @property
    def percent(self) -> int:
        if not self.step_count:
            return 0
        return round(100 * self.done_count / self.step_count)

    @property
    def complete(self) -> bool:
        return self.step_count > 0 and self.done_count == self.step_count

    @property
    def missing(self) -> list[CourseStepPage]:
        return [step for module in self.modules for step, done in module.steps if not done]


def course_outline(*, course: CoursePage, user) -> CourseOutline:
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    steps = course_steps(course=course)
    done = steps_done_ids(user=user, steps=steps)
    outlines = {m.path: ModuleOutline(module=m) for m in modules}
    for step in steps:
        parent_path = step.path[: -Page.steplen]
        if parent_path in outlines:
            outlines[parent_path].steps.append((step, step.pk in done))
    counted = [step for o in outlines.values() for step, _ in o.steps]
    return CourseOutline(
        course=course,
        enrolled=enrolment_exists(user=user, course=course),
        modules=list(outlines.values()),
        done_count=sum(1 for step in counted if step.pk in done),
        step_count=len(counted),
        next_step=next((step for step in counted if step.pk not in done), None),
    )


def steps_before(*, step: CourseStepPage) -> list[CourseStepPage]:
    """The steps of the same course that come before `step`."""
    course = step.course()
    return [s for s in course_steps(course=course) if s.path < step.path]


def step_neighbours(*, step: CourseStepPage):
    course = step.course()
    steps = course_steps(course=course) if course else []
    paths = [s.path for s in steps]
    if step.path not in paths:
        return None, None
    i = paths.index(step.path)
    return (steps[i - 1] if i > 0 else None, steps[i + 1] if i + 1 < len(steps) else None)


def quiz_attempt_latest(*, user, quiz) -> QuizAttempt | None:
    if not user.is_authenticated:
        return None
    return QuizAttempt.objects.filter(user=user, quiz=quiz).first()


def enrolments_of(*, user):
    return Enrolment.objects.filter(user=user).select_related("course").order_by("-created_at")
