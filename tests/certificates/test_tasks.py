"""Issuing by a real Celery worker: on the last requirement, by the sweep, e-mail retried."""

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateEvent
from certificates.receivers import _certificate_check
from certificates.tasks import certificates_sweep_task
from courses.signals import step_completed
from practicals.services import attempt_grade
from tests.fixtures.progress import practical_passed
from tests.waiting import wait_for


def _notified(certificate_filter):
    return Certificate.objects.filter(**certificate_filter, notified_at__isnull=False).first()


def test_worker_issues_when_the_print_is_graded(
    celery_worker, course, trainee, instructor, offline_printer
):
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    type(attempt).objects.filter(pk=attempt.pk).update(grade="", graded_by=None, graded_at=None)
    attempt.refresh_from_db()
    assert not Certificate.objects.exists()
    attempt_grade(grader=instructor, attempt=attempt, passed=True, comment="")  # sends the signal
    certificate = wait_for(
        lambda: _notified({"holder": trainee, "course": course}),
        timeout=60,
        what="certificate issued and e-mailed by the worker",
    )
    assert [e.kind for e in certificate.events.all()] == ["issued", "notified"]
    assert Certificate.objects.count() == 1


def test_sweep_issues_what_a_lost_task_missed(
    celery_worker, course, trainee, instructor, offline_printer
):
    # Eligible, but no task was ever enqueued (as if the worker had died with it).
    step_completed.disconnect(dispatch_uid="certificates.step_completed")
    try:
        practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    finally:
        step_completed.connect(_certificate_check, dispatch_uid="certificates.step_completed")
    assert services.certificates_sweep().enrolments == [(trainee.pk, course.pk)]
    certificates_sweep_task.delay()
    certificates_sweep_task.delay()  # twice: still one certificate
    wait_for(
        lambda: _notified({"holder": trainee, "course": course}),
        timeout=60,
        what="certificate issued by the sweep",
    )
    wait_for(lambda: services.certificates_sweep().enrolments == [], what="sweep settles")
    assert Certificate.objects.count() == 1


def test_a_failed_email_is_kept_for_the_sweep(course, trainee, passed, mailoutbox):
    certificate = services.certificate_issue(user=trainee, course=course)
    # A real SMTP connection to a port where nothing listens.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=9,
        EMAIL_TIMEOUT=2,
    ):
        try:
            services.certificate_notify(certificate=certificate)
        except OSError:
            pass
        else:
            raise AssertionError("the send should have failed")
    certificate.refresh_from_db()
    assert certificate.notified_at is None
    later = timezone.now() + dt.timedelta(minutes=10)
    assert services.certificates_sweep(now=later).unnotified == [certificate.pk]
    assert services.certificate_notify(certificate=certificate) is True
    assert len(mailoutbox) == 1
    assert services.certificates_sweep(now=later).unnotified == []
    assert certificate.events.filter(kind=CertificateEvent.Kind.NOTIFIED).count() == 1


def test_sweep_finds_expired_ones(course, trainee, passed):
    certificate = services.certificate_issue(user=trainee, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert services.certificates_sweep().expired == [certificate.pk]
