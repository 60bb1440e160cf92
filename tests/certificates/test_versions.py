"""Certificates as versions: issue, by hand, revoke, expire and renew, new legal name."""

import datetime as dt

import pytest
from django.utils import timezone

from certificates import services
from certificates.eligibility import (
    REQUIREMENT_CHECKS,
    Missing,
    certificate_eligibility,
    requirement_check_register,
)
from certificates.exceptions import (
    CertificateAlreadyValid,
    CertificateRevoked,
    IllegalCertificateMove,
    NotAllowed,
    NotEligible,
    ReasonRequired,
)
from certificates.models import Certificate, CertificateEvent, CertificateTemplate
from certificates.signing import pdf_signature_check
from tests.fixtures.courses import steps_of
from tests.fixtures.progress import theory_complete

Kind = CertificateEvent.Kind


def kinds(certificate):
    return [e.kind for e in certificate.events.all()]


def test_eligibility_lists_what_is_missing_by_kind(course, trainee):
    missing = certificate_eligibility(user=trainee, course=course).missing
    assert [m.kind for m in missing] == ["enrolment", "lesson", "quiz", "lesson", "practical"]
    theory_complete(course=course, user=trainee)
    eligibility = certificate_eligibility(user=trainee, course=course)
    assert not eligibility.eligible
    assert [(m.kind, m.label) for m in eligibility.missing] == [
        ("practical", "TP\u00a0: TP première impression")
    ]
    assert eligibility.missing[0].url == steps_of(course)[3].url


def test_another_requirement_plugs_in(course, trainee, passed):
    """The extension point competencies' mastery will use."""
    assert certificate_eligibility(user=trainee, course=course).eligible

    def competency_missing(*, user, course):
        yield Missing(kind="competency", label="Calibrer un plateau")

    requirement_check_register(competency_missing)
    try:
        eligibility = certificate_eligibility(user=trainee, course=course)
        assert [m.kind for m in eligibility.missing] == ["competency"]
        with pytest.raises(NotEligible):
            services.certificate_issue(user=trainee, course=course)
    finally:
        REQUIREMENT_CHECKS.remove(competency_missing)


def test_issue_is_idempotent_and_signed(course, trainee, passed):
    first = services.certificate_issue(user=trainee, course=course)
    assert services.certificate_issue(user=trainee, course=course).pk == first.pk
    assert Certificate.objects.count() == 1
    assert kinds(first) == [Kind.ISSUED]
    assert first.events.get().actor is None
    pdf = first.pdf.open("rb").read()
    assert pdf_signature_check(pdf).signed_by_us
    assert first.state == "valid" and first.version == 1 and first.course_hours == 7


def test_instructor_issues_by_hand_with_a_reason(course, trainee, instructor, other_trainee):
    theory_complete(course=course, user=trainee)  # the practical is not passed
    with pytest.raises(ReasonRequired):
        services.certificate_issue_by_hand(
            user=trainee, course=course, actor=instructor, reason=" "
        )
    with pytest.raises(NotAllowed):
        services.certificate_issue_by_hand(
            user=trainee, course=course, actor=other_trainee, reason="Je le mérite"
        )
    assert not Certificate.objects.exists()
    certificate = services.certificate_issue_by_hand(
        user=trainee, course=course, actor=instructor, reason="TP validé en présentiel"
    )
    event = certificate.events.get()
    assert (event.kind, event.actor, event.reason) == (
        Kind.ISSUED_BY_HAND,
        instructor,
        "TP validé en présentiel",
    )
    with pytest.raises(CertificateAlreadyValid):
        services.certificate_issue_by_hand(
            user=trainee, course=course, actor=instructor, reason="Encore"
        )


def test_revoked_stays_revoked(course, trainee, instructor, other_trainee, passed):
    certificate = services.certificate_issue(user=trainee, course=course)
    with pytest.raises(NotAllowed):
        services.certificate_revoke(certificate=certificate, actor=other_trainee, reason="x")
    with pytest.raises(ReasonRequired):
        services.certificate_revoke(certificate=certificate, actor=instructor, reason="")
    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Fraude au TP")
    certificate.refresh_from_db()
    assert certificate.state == "revoked" and certificate.status_reason == "Fraude au TP"
    assert certificate.status_changed_at is not None
    assert kinds(certificate) == [Kind.ISSUED, Kind.REVOKED]
    assert certificate.events.last().actor == instructor
    # The automatic path never undoes a revocation; a second revocation is illegal.
    with pytest.raises(CertificateRevoked):
        services.certificate_issue(user=trainee, course=course)
    with pytest.raises(IllegalCertificateMove):
        services.certificate_revoke(certificate=certificate, actor=instructor, reason="Encore")
    # An instructor may issue a new one by hand: version 2.
    again = services.certificate_issue_by_hand(
        user=trainee, course=course, actor=instructor, reason="TP repassé"
    )
    assert again.version == 2 and again.code != certificate.code


def test_new_legal_name_makes_a_new_version(course, trainee, passed):
    old = services.certificate_issue(user=trainee, course=course)
    assert services.certificates_name_update(user=trainee) == []  # same name: nothing
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    (new,) = services.certificates_name_update(user=trainee)
    old.refresh_from_db()
    assert old.state == "replaced" and old.replaced_by == new
    assert new.holder_name == "Camille Martin-Durand" and new.version == 2
    assert old.holder_name == "Camille Martin"
    assert kinds(old) == [Kind.ISSUED, Kind.REPLACED]
    assert kinds(new) == [Kind.NEW_NAME]
    assert new.events.get().actor == trainee
    assert new.events.get().reason == "Camille Martin → Camille Martin-Durand"


def test_validity_period_and_automatic_renewal(course, trainee, passed):
    CertificateTemplate.objects.create(course=course, validity_months=24)
    certificate = services.certificate_issue(user=trainee, course=course)
    assert certificate.expires_at == services.months_later(certificate.issued_at, 24)
    assert services.certificate_expire(certificate=certificate) is None  # not yet
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    certificate.refresh_from_db()
    assert certificate.state == "expired"
    renewed = services.certificate_expire(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.state == "replaced" and certificate.replaced_by == renewed
    assert kinds(certificate) == [Kind.ISSUED, Kind.EXPIRED, Kind.REPLACED]
    assert kinds(renewed) == [Kind.RENEWED] and renewed.state == "valid"
    assert renewed.expires_at > timezone.now() + dt.timedelta(days=700)


def test_renewal_by_hand_leaves_it_expired(course, trainee, instructor, passed):
    CertificateTemplate.objects.create(
        course=course, validity_months=12, renewal=CertificateTemplate.Renewal.BY_HAND
    )
    certificate = services.certificate_issue(user=trainee, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    assert services.certificate_expire(certificate=certificate) is None
    assert services.certificate_expire(certificate=certificate) is None  # one event only
    certificate.refresh_from_db()
    assert certificate.state == "expired" and kinds(certificate) == [Kind.ISSUED, Kind.EXPIRED]
    renewed = services.certificate_renew(
        certificate=certificate, actor=instructor, reason="Recyclage suivi le 2 déc."
    )
    assert renewed.state == "valid" and renewed.events.get().actor == instructor


def test_months_later_keeps_the_day_or_the_month_end():
    moment = dt.datetime(2026, 1, 31, 10, tzinfo=dt.UTC)
    assert services.months_later(moment, 1) == dt.datetime(2026, 2, 28, 10, tzinfo=dt.UTC)
    assert services.months_later(moment, 12) == dt.datetime(2027, 1, 31, 10, tzinfo=dt.UTC)
    assert services.months_later(moment, 25) == dt.datetime(2028, 2, 29, 10, tzinfo=dt.UTC)
