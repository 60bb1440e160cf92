"""Issuing, revoking, renewing and re-issuing certificates: every write of a certificate.

Each version is made by `_version_create` (what it states, its PDF, an event) and each change
of status by `_certificate_move` (allowed moves in `TRANSITIONS`, an event). The holder's
e-mail is a task enqueued on commit, so a failed send is retried, never lost.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import CoursePage
from practicals.selectors import farm_of_passed_practical

from ..codes import code_new, public_id_new
from ..eligibility import certificate_eligibility, competencies_certified
from ..exceptions import (
    CertificateAlreadyValid,
    CertificateRevoked,
    IllegalCertificateMove,
    NotAllowed,
    NotEligible,
    ReasonRequired,
)
from ..models import Certificate, CertificateEvent, CertificateTemplate
from ..public_facts import public_facts_forget

log = logging.getLogger(__name__)

Status = Certificate.Status
Kind = CertificateEvent.Kind

# The only status changes there are; expiry is a date, not a status.
TRANSITIONS = {
    Status.VALID: {Status.REPLACED, Status.REVOKED},
    Status.REPLACED: set(),
    Status.REVOKED: set(),
}


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (the month's last day when that day does not exist)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def certificate_template_of(*, course: CoursePage) -> CertificateTemplate:
    template = CertificateTemplate.objects.filter(course=course).first()
    return template or CertificateTemplate(course=course)


def certificate_current(*, user, course: CoursePage) -> Certificate | None:
    return Certificate.objects.filter(holder=user, course=course, status=Status.VALID).first()


def _reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReasonRequired()
    return reason


def holder_language(user) -> str:
    """The language `user` chose (kept on their account), else the site's (French)."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _version_create(
    *, user, course: CoursePage, kind: str, actor=None, reason: str = "", language: str = ""
) -> Certificate:
    """Make a new version: fix what it states, render and sign its PDF, record the event."""
    from ..pdf import certificate_pdf_make

    template = certificate_template_of(course=course)
    previous = Certificate.objects.filter(holder=user, course=course).order_by("-version").first()
    farm = farm_of_passed_practical(user=user, course=course)
    now = timezone.now()
    certificate = Certificate(
        holder=user,
        course=course,
        version=(previous.version + 1) if previous else 1,
        holder_name=user.get_full_name(),
        course_title=course.title,
        course_hours=course.hours,
        competencies=competencies_certified(user=user, course=course),
        farm_name=farm.name if farm else (previous.farm_name if previous else ""),
        issued_at=now,
        expires_at=months_later(now, template.validity_months)
        if template.validity_months
        else None,
        public_id=public_id_new(),
        code=code_new(),
        language=language or (previous.language if previous else holder_language(user)),
    )
    pdf = certificate_pdf_make(certificate=certificate)
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            certificate.save()
            CertificateEvent.objects.create(
                certificate=certificate, kind=kind, actor=actor, reason=reason, at=now
            )
    except IntegrityError:
        certificate.pdf.delete(save=False)
        raise
    log.info("certificate %s (%s) issued to user %s", certificate.code, kind, user.pk)
    transaction.on_commit(lambda: _notify_enqueue(certificate.pk))
    return certificate


def _notify_enqueue(certificate_id: int) -> None:
    from ..tasks import certificate_notify_task

    certificate_notify_task.delay(certificate_id)


def _certificate_move(
    *, certificate: Certificate, to: str, kind: str, actor=None, reason: str = "", by=None
) -> Certificate:
    """The only writer of a certificate's status: checks the move, saves, records the event."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if to not in TRANSITIONS[certificate.status]:
        raise IllegalCertificateMove()
    now = timezone.now()
    certificate.status = to
    certificate.status_changed_at = now
    certificate.status_reason = reason
    certificate.replaced_by = by
    certificate.save(update_fields=["status", "status_changed_at", "status_reason", "replaced_by"])
    CertificateEvent.objects.create(
        certificate=certificate, kind=kind, actor=actor, reason=reason, at=now
    )
    # The public page shows the new status as soon as it is committed.
    public_id = certificate.public_id
    transaction.on_commit(lambda: public_facts_forget(public_id=public_id))
    return certificate


def _holder_lock(user) -> None:
    """Make issuers of one holder's certificates take turns, until this transaction ends.

    Two tasks may issue the same certificate at once (the signal's and the sweep's, a
    redelivered message). On PostgreSQL the second waits here on the holder's row until the
    first has committed, then reads its version; SQLite's IMMEDIATE transactions already let
    one writer in at a time. Issuing renders inside this transaction, so nobody renders a
    PDF that is thrown away.
    """
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def certificate_issue(*, user, course: CoursePage, language: str = "") -> Certificate:
    """Issue `course`'s certificate to `user` once every requirement is met (idempotent,
    also when several workers issue it at the same moment).

    Returns the valid version already there if any; never undoes a revocation.
    """
    current = certificate_current(user=user, course=course)
    if current is not None:
        return current
    with transaction.atomic():
        _holder_lock(user)
        # Read again under the lock: a task that waited finds the winner's, committed.
        current = certificate_current(user=user, course=course)
        if current is not None:
            return current
        if Certificate.objects.filter(holder=user, course=course, status=Status.REVOKED).exists():
            raise CertificateRevoked()
        if not certificate_eligibility(user=user, course=course).eligible:
            raise NotEligible()
        return _version_create(user=user, course=course, kind=Kind.ISSUED, language=language)


def _require(actor, permission: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(permission):
        raise NotAllowed()


@transaction.atomic
def certificate_issue_by_hand(*, user, course: CoursePage, actor, reason: str) -> Certificate:
    """An instructor issues a certificate whatever the requirements, saying why."""
    _require(actor, "certificates.issue_certificate")
    reason = _reason_clean(reason)
    _holder_lock(user)
    if certificate_current(user=user, course=course) is not None:
        raise CertificateAlreadyValid()
    return _version_create(
        user=user, course=course, kind=Kind.ISSUED_BY_HAND, actor=actor, reason=reason
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    _require(actor, "certificates.revoke_certificate")
    return _certificate_move(
        certificate=certificate,
        to=Status.REVOKED,
        kind=Kind.REVOKED,
        actor=actor,
        reason=_reason_clean(reason),
    )


def _version_replace(*, certificate: Certificate, kind: str, actor=None, reason: str = ""):
    """A new version of `certificate`; the old one then says it was replaced by it."""
    old = _certificate_move(
        certificate=certificate, to=Status.REPLACED, kind=Kind.REPLACED, actor=actor, reason=reason
    )
    new = _version_create(user=old.holder, course=old.course, kind=kind, actor=actor, reason=reason)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    return new


@transaction.atomic
def certificate_renew(*, certificate: Certificate, actor=None, reason: str = "") -> Certificate:
    """A new version for another validity period (by hand: an instructor with a reason)."""
    if actor is not None:
        _require(actor, "certificates.revoke_certificate")
        reason = _reason_clean(reason)
    return _version_replace(certificate=certificate, kind=Kind.RENEWED, actor=actor, reason=reason)


@transaction.atomic
def certificates_name_update(*, user) -> list[Certificate]:
    """The holder's legal name changed: each valid certificate gets a version with the new one."""
    new_versions = []
    for certificate in Certificate.objects.filter(holder=user, status=Status.VALID):
        if certificate.holder_name != user.get_full_name():
            new_versions.append(
                _version_replace(
                    certificate=certificate,
                    kind=Kind.NEW_NAME,
                    actor=user,
                    reason=f"{certificate.holder_name} → {user.get_full_name()}",
                )
            )
    return new_versions


@transaction.atomic
def certificate_pdf_in(*, certificate: Certificate, language: str):
    """The version's signed PDF in `language`, made (once) when first asked for."""
    from ..pdf import certificate_pdf_make

    if language == certificate.language:
        return certificate.pdf
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.pdf_other:
        pdf = certificate_pdf_make(certificate=certificate, language=language)
        certificate.pdf_other_sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.pdf_other.save(
            f"{certificate.public_id}-{language}.pdf", ContentFile(pdf), save=False
        )
        certificate.save(update_fields=["pdf_other", "pdf_other_sha256"])
    return certificate.pdf_other


@transaction.atomic
def certificate_expire(*, certificate: Certificate) -> Certificate | None:
    """Record that a certificate expired; renew it if its course renews automatically."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Status.VALID or not certificate.is_expired:
        return None
    if not certificate.events.filter(kind=Kind.EXPIRED).exists():
        CertificateEvent.objects.create(certificate=certificate, kind=Kind.EXPIRED)
    template = certificate_template_of(course=certificate.course)
    if template.renewal == CertificateTemplate.Renewal.AUTOMATIC:
        return _version_replace(certificate=certificate, kind=Kind.RENEWED)
    return None
