"""Issuing a certificate: check eligibility, fix what it states, render its PDF, once."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import CoursePage
from practicals.selectors import farm_of_passed_practical

from .codes import code_new, public_id_new
from .exceptions import NotEligible
from .models import Certificate
from .pdf import certificate_pdf_render
from .selectors import is_eligible

log = logging.getLogger(__name__)


def certificate_issue(*, user, course: CoursePage) -> Certificate:
    """Issue the certificate of `course` to `user`, or return the one already issued."""
    existing = Certificate.objects.filter(holder=user, course=course).first()
    if existing is not None:
        return existing
    if not is_eligible(user=user, course=course):
        raise NotEligible()
    language = "fr"
    farm = farm_of_passed_practical(user=user, course=course)
    certificate = Certificate(
        holder=user,
        course=course,
        holder_name=user.get_full_name(),
        course_title=course.title,
        course_hours=course.hours,
        farm_name=farm.name if farm else "",
        public_id=public_id_new(),
        code=code_new(),
        language=language,
    )
    pdf = certificate_pdf_render(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        issued_on=timezone.localdate(),
        code=certificate.code,
        verify_url=certificate.verify_url,
        farm_name=certificate.farm_name,
        language=language,
    )
    try:
        with transaction.atomic():
            certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(pdf), save=False)
            certificate.save()
    except IntegrityError:
        # Another worker issued it at the same moment: theirs is the one.
        certificate.pdf.delete(save=False)
        return Certificate.objects.get(holder=user, course=course)
    log.info("certificate %s issued to user %s for course %s", certificate.code, user.pk, course.pk)
    transaction.on_commit(lambda: certificate_notify(certificate=certificate))
    return certificate


def certificate_notify(*, certificate: Certificate) -> None:
    """Tell the holder, in the certificate's language, that it is ready and how to share it."""
    context = {
        "certificate": certificate,
        "code": certificate.code,
        "verify_url": certificate.verify_url,
        "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("dashboard"),
    }
    with translation.override(certificate.language):
        subject = render_to_string("certificates/email/issued_subject.txt", context)
        body = render_to_string("certificates/email/issued_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [certificate.holder.email])
