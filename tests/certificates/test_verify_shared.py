"""The verification page served whole from memory to employers (no session): every look-up
still counted, a change of status shown at once, unknown codes never kept."""

import time
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from certificates import services
from certificates.models import Certificate


@pytest.fixture
def certificate(trainee, course, passed):
    return services.certificate_issue(user=trainee, course=course, language="fr")


def _served(client, url, **extra):
    """The first request learns the page's versions, the second stores it, the third is
    served from memory (no template rendered)."""
    for _ in range(3):
        served = client.get(url, **extra)
        if not served.templates:
            assert served.status_code == 200
            return served
    raise AssertionError("never served from memory")


def test_an_employer_is_served_from_memory_without_a_query_nor_a_session(
    client, certificate, django_assert_num_queries
):
    url = certificate.get_absolute_url()
    _served(client, url)
    with django_assert_num_queries(0):
        served = client.get(url)
    assert not served.templates and certificate.code in served.text
    assert "badge valid" in served.text and "linkedin" not in served.text.lower()
    assert served.wsgi_request.session.accessed is False
    assert "sessionid" not in served.cookies


def test_a_revocation_shows_at_once(
    client, certificate, instructor, django_capture_on_commit_callbacks
):
    url = certificate.get_absolute_url()
    _served(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            certificate=certificate, actor=instructor, reason="Fraude à l’examen pratique"
        )
    page = client.get(url).text
    assert "badge revoked" in page and "Fraude à l’examen pratique" in page
    assert "badge revoked" in _served(client, url).text


def test_a_revocation_not_yet_committed_is_never_hidden_by_the_shared_page(
    client, certificate, instructor
):
    url = certificate.get_absolute_url()
    _served(client, url)
    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Erreur")
    assert "badge revoked" in client.get(url).text  # renewed at once, not only on commit


def test_a_replacement_shows_at_once(
    client, certificate, trainee, django_capture_on_commit_callbacks
):
    url = certificate.get_absolute_url()
    _served(client, url)
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        (new,) = services.certificates_name_update(user=trainee)
    page = client.get(url).text
    assert "badge replaced" in page and new.get_absolute_url() in page


def test_an_expiry_shows_at_once(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(  # no signal: the date alone
        expires_at=timezone.now() + timezone.timedelta(seconds=3)
    )
    _served(client, certificate.get_absolute_url())
    time.sleep(3.2)
    assert "badge expired" in client.get(certificate.get_absolute_url()).text


def test_each_language_gets_its_own_page(client, certificate):
    url = certificate.get_absolute_url()
    assert '<html lang="fr">' in _served(client, url).text
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(url).text
    assert '<html lang="en">' in _served(client, url).text


def test_the_holder_still_gets_the_share_block(client, certificate, trainee):
    url = certificate.get_absolute_url()
    _served(client, url)
    client.force_login(trainee)
    page = client.get(url)
    assert page.templates and "linkedin.com/profile/add" in page.text


@override_settings(CERTIFICATES_VERIFY_RATES=["5/60"], ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_pages_served_from_memory_still_count_every_look_up(client, certificate):
    url = certificate.get_absolute_url()
    booth = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(3):  # learnt, stored, served
        client.get(url, **booth)
    assert not client.get(url, **booth).templates  # 4
    assert not client.get(url, **booth).templates  # 5
    response = client.get(url, **booth)
    assert response.status_code == 429
    assert "Trop de vérifications depuis votre réseau" in response.text
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 200


def test_unknown_codes_get_one_generic_answer_and_leave_nothing_behind(client, db):
    from django.core.cache import cache

    for _ in range(3):
        response = client.get(f"/v/{uuid.uuid4().hex[:22]}/")
        assert response.status_code == 404 and response.templates
    # Only the look-up counters: neither a version nor a card for codes that match nothing.
    assert all(":certificates:verify:" in key for key in cache._cache)


def test_on_redis_the_count_and_the_versions_are_one_round_trip(
    client, certificate, instructor, settings, redis_cache
):
    """Production's cache is Redis: the served page's look-up is counted and its status
    version read by one script, and the page changes at once on revocation."""
    settings.CERTIFICATES_VERIFY_RATES = ["4/60"]
    raw = redis_cache.raw
    url = certificate.get_absolute_url()
    for _ in range(3):  # learnt, stored, served
        client.get(url)
    assert not client.get(url).templates  # 4 look-ups
    counters = redis_cache.written("*certificates:verify:*")
    assert len(counters) == 1 and int(raw.get(counters[0])) == 4
    assert 0 < raw.ttl(counters[0]) <= 61
    assert client.get(url).status_code == 429
    settings.CERTIFICATES_VERIFY_RATES = ["100/60"]
    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Erreur")
    assert "badge revoked" in client.get(url).text
