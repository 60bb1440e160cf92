"""The public verification page: cheap for everyone, and never showing a stale status."""

import time

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate


@pytest.fixture
def certificate(trainee, course, passed):
    return services.certificate_issue(user=trainee, course=course, language="fr")


def test_an_employer_costs_one_query_then_none_and_no_session(
    client, certificate, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = client.get(certificate.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(certificate.get_absolute_url())
    for response in (first, second):
        assert response.status_code == 200
        assert "badge valid" in response.text and certificate.code in response.text
        assert response.wsgi_request.session.accessed is False
        assert "sessionid" not in response.cookies


def test_a_revocation_shows_at_once(
    client, certificate, instructor, django_capture_on_commit_callbacks
):
    assert "badge valid" in client.get(certificate.get_absolute_url()).text  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            certificate=certificate, actor=instructor, reason="Fraude à l’examen pratique"
        )
    page = client.get(certificate.get_absolute_url()).text
    assert "badge revoked" in page and "Fraude à l’examen pratique" in page


def test_a_replacement_shows_at_once(
    client, certificate, trainee, django_capture_on_commit_callbacks
):
    assert "badge valid" in client.get(certificate.get_absolute_url()).text
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        (new,) = services.certificates_name_update(user=trainee)
    page = client.get(certificate.get_absolute_url()).text
    assert "badge replaced" in page and new.get_absolute_url() in page


def test_an_expiry_shows_at_once(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timezone.timedelta(seconds=2)
    )
    assert "badge valid" in client.get(certificate.get_absolute_url()).text  # cached until then
    time.sleep(2.5)
    assert "badge expired" in client.get(certificate.get_absolute_url()).text


def test_the_holder_still_gets_the_share_block(client, certificate, trainee):
    client.force_login(trainee)
    page = client.get(certificate.get_absolute_url()).text
    assert "linkedin.com/profile/add" in page and "badge valid" in page
