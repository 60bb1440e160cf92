"""Reads of certificates: what is missing, look-ups for verification, a holder's list."""

from courses.models import CoursePage

from .codes import code_normalise
from .eligibility import Eligibility, certificate_eligibility
from .models import Certificate


def course_certificate_status(*, user, course: CoursePage) -> dict:
    """For the course page: the holder's current certificate, or what is still missing."""
    if not user.is_authenticated:
        return {}
    certificate = (
        Certificate.objects.filter(holder=user, course=course).order_by("-version").first()
    )
    eligibility: Eligibility | None = None
    if certificate is None:
        eligibility = certificate_eligibility(user=user, course=course)
    return {"certificate": certificate, "eligibility": eligibility}


def certificate_by_public_id(*, public_id: str) -> Certificate | None:
    return Certificate.objects.filter(public_id=public_id).first()


def certificate_by_code(*, typed: str) -> Certificate | None:
    code = code_normalise(typed)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificates_of(*, user):
    """The holder's certificates, newest first, without the versions replaced since."""
    return Certificate.objects.filter(holder=user).exclude(status=Certificate.Status.REPLACED)


def certificate_events(*, certificate: Certificate):
    return certificate.events.select_related("actor")
