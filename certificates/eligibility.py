"""The one function that decides whether a trainee has earned a course's certificate.

`certificate_eligibility` asks every check in `REQUIREMENT_CHECKS` what is still missing and
answers with the whole list, so the course page can show it and the issuing task can decide.

Extension point: another kind of requirement (competencies' mastery, being built in
`courses`) is one more function `(user, course) -> Iterable[Missing]` added with
`requirement_check_register`; nothing else here changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from courses.models import CoursePage
from courses.selectors import course_outline


@dataclass(frozen=True)
class Missing:
    """One requirement not met yet: its kind (lesson, quiz, practical…), a label, a link."""

    kind: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class Eligibility:
    missing: tuple[Missing, ...]

    @property
    def eligible(self) -> bool:
        return not self.missing


RequirementCheck = Callable[..., Iterable[Missing]]
REQUIREMENT_CHECKS: list[RequirementCheck] = []


def requirement_check_register(check: RequirementCheck) -> RequirementCheck:
    """Add a requirement (called with `user=` and `course=`); usable as a decorator."""
    if check not in REQUIREMENT_CHECKS:
        REQUIREMENT_CHECKS.append(check)
    return check


@requirement_check_register
def steps_missing(*, user, course: CoursePage) -> Iterable[Missing]:
    """Enrolment, then every lesson, quiz and practical of the course, in course order."""
    outline = course_outline(course=course, user=user)
    if not outline.enrolled:
        yield Missing(kind="enrolment", label=_("Enrol in the course"), url=course.url or "")
    if outline.step_count == 0:
        yield Missing(kind="content", label=_("The course has no steps yet"))
    for step in outline.missing:
        # Outline steps are plain pages (no bodies loaded): the kind comes from their class.
        step_class = step.specific_class or type(step)
        yield Missing(
            kind=step_class._meta.model_name.removesuffix("page"),
            label=_("%(kind)s: %(title)s")
            % {"kind": capfirst(step_class._meta.verbose_name), "title": step.title},
            url=step.url or "",
        )


def certificate_eligibility(*, user, course: CoursePage) -> Eligibility:
    """Whether `user` has met every requirement of `course`, and what is still missing."""
    missing: list[Missing] = []
    for check in REQUIREMENT_CHECKS:
        missing.extend(check(user=user, course=course))
    return Eligibility(missing=tuple(missing))
