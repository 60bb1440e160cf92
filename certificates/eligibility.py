"""The one function that decides whether a trainee has earned a course's certificate.

`certificate_eligibility` asks every check in `REQUIREMENT_CHECKS` what is still missing and
answers with the whole list, so the course page can show it and the issuing task can decide.

Requirements: every step of the course (`steps_missing`), and the mastery of every
competency the course certifies and can assess (`competencies_missing`, read from
`courses.competencies`). `competencies_certified` says which competencies a certificate
states: those of the course the trainee has mastered.

Extension point: another kind of requirement is one more function
`(user, course) -> Iterable[Missing]` added with `requirement_check_register`; nothing else
here changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from courses.competencies import CompetencyStatus, competency_states
from courses.models import CourseCompetency, CoursePage
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
        yield enrolment_missing(course=course)
    if outline.step_count == 0:
        yield content_missing()
    for step in outline.missing:
        yield step_missing(step)


def enrolment_missing(*, course: CoursePage) -> Missing:
    return Missing(kind="enrolment", label=_("Enrol in the course"), url=course.url or "")


def content_missing() -> Missing:
    return Missing(kind="content", label=_("The course has no steps yet"))


def step_missing(step) -> Missing:
    """A step of the outline not complete yet (the same for every trainee: the course
    page keeps it per outline version and language, `certificates.missing`)."""
    # Outline steps are plain pages (no bodies loaded): the kind comes from their class.
    step_class = step.specific_class or type(step)
    return Missing(
        kind=step_class._meta.model_name.removesuffix("page"),
        label=_("%(kind)s: %(title)s")
        % {"kind": capfirst(step_class._meta.verbose_name), "title": step.title},
        # The outline's URL (no lookup of the sites per step: the list grows with the course).
        url=iri_to_uri(url) if (url := getattr(step, "outline_url", None)) else step.url or "",
    )


@dataclass(frozen=True)
class CourseCompetencyState:
    name: str
    assessable: bool  # the course has questions (or other evidence) for it
    mastered: bool  # in this course or another: mastered anywhere is mastered


def course_competency_states(
    *, user, course: CoursePage, certified: Iterable[int] | None = None
) -> list[CourseCompetencyState]:
    """The competencies `course` certifies, in the course's order, with the trainee's state.

    `certified`: their ids when the caller has them (the course's outline holds them,
    `Outline.competency_ids`), else read here.
    """
    if certified is None:
        certified = CourseCompetency.objects.filter(course=course).values_list(
            "competency_id", flat=True
        )
    certified = list(certified)
    if not certified:  # most courses: one query and done
        return []
    states = {state.competency.pk: state for state in competency_states(user=user)}
    result = []
    for competency_id in certified:
        state = states.get(competency_id)
        if state is None:  # not enrolled, or the course is not live
            continue
        here = [p for p in state.courses if p.course.pk == course.pk]
        assessable = any(p.questions_total or p.evidence_total for p in here)
        mastered = state.status == CompetencyStatus.MASTERED
        result.append(CourseCompetencyState(state.competency.name, assessable, mastered))
    return result


@requirement_check_register
def competencies_missing(
    *, user, course: CoursePage, certified: Iterable[int] | None = None
) -> Iterable[Missing]:
    """Each competency the course certifies and assesses, not mastered yet.

    A competency the course lists but has no question or evidence for cannot be mastered
    there: it is not required (and not printed unless mastered elsewhere). `certified`:
    as for `course_competency_states`.
    """
    for state in course_competency_states(user=user, course=course, certified=certified):
        if state.assessable and not state.mastered:
            yield Missing(
                kind="competency",
                label=_("Competency: %(name)s") % {"name": state.name},
                url=reverse("courses:competencies"),
            )


def competencies_certified(*, user, course: CoursePage) -> list[str]:
    """What the certificate states: the course's competencies the trainee has mastered."""
    return [s.name for s in course_competency_states(user=user, course=course) if s.mastered]


def certificate_eligibility(*, user, course: CoursePage) -> Eligibility:
    """Whether `user` has met every requirement of `course`, and what is still missing."""
    missing: list[Missing] = []
    for check in REQUIREMENT_CHECKS:
        missing.extend(check(user=user, course=course))
    return Eligibility(missing=tuple(missing))
