"""Two tasks issuing the same certificate at once, on PostgreSQL: one certificate, no error."""

import threading

import pytest
from django.db import connection

import certificates.pdf
from certificates import services
from certificates.models import Certificate, CertificateEvent

RACERS = 2


@pytest.mark.django_db(transaction=True)
def test_two_tasks_issue_one_certificate_at_once(monkeypatch, course, trainee, passed):
    # On PostgreSQL (CI) the holder's row lock decides; on SQLite the IMMEDIATE transaction.
    renders = []
    make = certificates.pdf.certificate_pdf_make

    def make_counted(**kwargs):
        renders.append(threading.get_ident())
        return make(**kwargs)

    monkeypatch.setattr(certificates.pdf, "certificate_pdf_make", make_counted)
    barrier = threading.Barrier(RACERS)
    outcomes = []

    def issue():
        try:
            barrier.wait()
            outcomes.append(services.certificate_issue(user=trainee, course=course).pk)
        except Exception as error:  # any error is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    (certificate,) = Certificate.objects.filter(holder=trainee, course=course)
    assert outcomes == [certificate.pk] * RACERS, outcomes
    assert CertificateEvent.objects.filter(kind="issued").count() == 1
    # The second waited for the first's commit and took its version: nothing rendered twice.
    assert len(renders) == 1, renders
