"""Reads of certificates: requirements still missing, lookups for verification."""

from courses.models import CoursePage
from courses.selectors import course_outline, enrolment_exists

from .codes import code_normalise
from .models import Certificate


def requirements_missing(*, user, course: CoursePage) -> list:
    """What the trainee still has to do: steps not completed (lessons, quizzes, practicals)."""
    outline = course_outline(course=course, user=user)
    if outline.step_count == 0:
        return [course]
    return outline.missing


def is_eligible(*, user, course: CoursePage) -> bool:
    return enrolment_exists(user=user, course=course) and not requirements_missing(
        user=user, course=course
    )


def certificate_by_public_id(*, public_id: str) -> Certificate | None:
    return Certificate.objects.filter(public_id=public_id).first()


def certificate_by_code(*, typed: str) -> Certificate | None:
    code = code_normalise(typed)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificates_of(*, user):
    return Certificate.objects.filter(holder=user)
