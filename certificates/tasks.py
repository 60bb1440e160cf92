"""Celery tasks of certificates: thin, idempotent, given ids, enqueued on commit."""

import logging
from smtplib import SMTPException

from celery import shared_task
from celery.signals import worker_ready
from django.contrib.auth import get_user_model

from courses.models import CoursePage

from . import services
from .exceptions import CertificateRevoked, NotEligible
from .models import Certificate

log = logging.getLogger(__name__)


@worker_ready.connect
def _pdf_tools_prepare(**kwargs):
    """Start the render process (PDF libraries, fonts, the signing key and its chain) when
    the worker starts, not in the first certificate's task (seconds on a busy machine)."""
    try:
        from .pdf import certificate_pdf_prepare

        certificate_pdf_prepare()
    except Exception:  # noqa: BLE001 - the first task will try again, and say why
        log.exception("could not prepare certificate signing at worker start")


@shared_task(bind=True, max_retries=5, default_retry_delay=5, acks_late=True)
def certificate_issue_task(self, user_id: int, course_id: int, language: str = "") -> str:
    """Issue if every requirement is met; safe to run twice."""
    user = get_user_model().objects.filter(pk=user_id).first()
    course = CoursePage.objects.filter(pk=course_id).first()
    if user is None or course is None:
        return "gone"
    try:  # the service checks the requirements (once: they are the slow part of a refusal)
        return services.certificate_issue(user=user, course=course, language=language).code
    except NotEligible:
        return "not eligible"
    except CertificateRevoked as error:
        return str(error)
    # The PDF could not be written, or the render process died or hung (RenderUnavailable
    # is an OSError): try again a little later.
    except OSError as error:
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=8, acks_late=True)
def certificate_notify_task(self, certificate_id: int) -> str:
    """E-mail the holder; an SMTP failure retries with backoff, then the sweep takes over."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return "gone"
    try:
        return "sent" if services.certificate_notify(certificate=certificate) else "already sent"
    except (SMTPException, OSError) as error:
        raise self.retry(exc=error, countdown=min(10 * 2**self.request.retries, 900)) from error


@shared_task(acks_late=True)
def certificates_name_update_task(user_id: int) -> int:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return len(services.certificates_name_update(user=user))


@shared_task(acks_late=True)
def certificate_expire_task(certificate_id: int) -> str:
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return "gone"
    renewed = services.certificate_expire(certificate=certificate)
    return renewed.code if renewed else "expired"


@shared_task
def certificates_sweep_task() -> dict:
    """Beat: re-enqueue what a lost task left undone (each of those tasks is idempotent)."""
    work = services.certificates_sweep()
    for user_id, course_id in work.enrolments:
        certificate_issue_task.delay(user_id, course_id)
    for certificate_id in work.expired:
        certificate_expire_task.delay(certificate_id)
    for certificate_id in work.unnotified:
        certificate_notify_task.delay(certificate_id)
    return {
        "enrolments": len(work.enrolments),
        "expired": len(work.expired),
        "unnotified": len(work.unnotified),
    }
