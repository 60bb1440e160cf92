"""Reads of certificates: look-ups for verification, a holder's list (the course page's
box: `missing`)."""

from .codes import code_normalise
from .models import Certificate


def certificate_by_public_id(*, public_id: str) -> Certificate | None:
    return Certificate.objects.filter(public_id=public_id).first()


def certificate_by_code(*, typed: str) -> Certificate | None:
    code = code_normalise(typed)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_events(*, certificate: Certificate):
    return certificate.events.select_related("actor")
