"""The holder's e-mail when a version is issued (sent by a task, retried until it goes)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Certificate, CertificateEvent


def certificate_notify(*, certificate: Certificate) -> bool:
    """Send the e-mail unless it went already; False when there was nothing to send."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.notified_at is not None:
            return False
        context = {
            "certificate": certificate,
            "code": certificate.code,
            "verify_url": certificate.verify_url,
            "dashboard_url": settings.SITE_URL.rstrip("/") + reverse("dashboard"),
        }
        # The language the holder chose, if they did; else the certificate's.
        language = getattr(certificate.holder, "language", "") or certificate.language
        with translation.override(language):
            subject = render_to_string("certificates/email/issued_subject.txt", context)
            body = render_to_string("certificates/email/issued_body.txt", context)
        # An error here leaves notified_at empty: the task retries, the sweep picks it up.
        # One line; split on line breaks only, not on the French non-breaking spaces.
        send_mail(" ".join(subject.splitlines()).strip(), body, None, [certificate.holder.email])
        certificate.notified_at = timezone.now()
        certificate.save(update_fields=["notified_at"])
        CertificateEvent.objects.create(
            certificate=certificate, kind=CertificateEvent.Kind.NOTIFIED, at=certificate.notified_at
        )
    return True
