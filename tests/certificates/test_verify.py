"""Public verification: statuses, look-ups, rate limit, « Vérifier un PDF », JSON, sharing."""

import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.utils import timezone

from certificates import services
from certificates.codes import ALPHABET
from certificates.models import Certificate
from certificates.pdf import certificate_pdf_render
from certificates.verification import certificate_find
from tests.certificates.helpers import sign_with_another_key


@pytest.fixture
def certificate(course, trainee, passed):
    return services.certificate_issue(user=trainee, course=course)


def test_valid_page_shows_only_what_the_certificate_states(client, certificate, trainee):
    response = client.get(certificate.get_absolute_url())
    assert response.status_code == 200
    for fact in ("Valide", "Camille Martin", "Initiation FDM", "Ferme de test", certificate.code):
        assert fact in response.text
    assert trainee.email not in response.text
    assert "LinkedIn" not in response.text  # sharing is for the holder only


def test_revoked_page_says_when_and_why(client, certificate, instructor):
    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Fraude au TP")
    response = client.get(certificate.get_absolute_url())
    assert "Révoqué" in response.text and "Fraude au TP" in response.text
    assert "révoqué par Atelier le" in response.text
    assert "Nadia" not in response.text  # who revoked it is internal


def test_replaced_and_expired_pages(client, certificate, trainee):
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    (new,) = services.certificates_name_update(user=trainee)
    response = client.get(certificate.get_absolute_url())
    assert "Remplacé" in response.text and new.get_absolute_url() in response.text
    Certificate.objects.filter(pk=new.pk).update(expires_at=timezone.now())
    response = client.get(new.get_absolute_url())
    assert "Expiré" in response.text and "a expiré le" in response.text


def test_lookup_accepts_number_url_or_identifier(client, certificate):
    for typed in (
        certificate.code.lower().replace("-", " "),
        certificate.verify_url,
        certificate.public_id,
        f"  {certificate.verify_url}?utm=x ",
    ):
        response = client.get("/verify/", {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == certificate.get_absolute_url()


def test_thousands_of_random_codes_never_match(certificate):
    for _ in range(5000):
        raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
        assert certificate_find(typed=raw) is None
        assert certificate_find(typed=secrets.token_urlsafe(16)) is None


@override_settings(CERTIFICATES_VERIFY_RATES=["5/60"], ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_rate_limited_per_client_address(client, certificate):
    url = certificate.get_absolute_url()
    booth = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(5):
        assert client.get(url, **booth).status_code == 200
    response = client.get(url, **booth)
    assert response.status_code == 429
    assert "Trop de vérifications depuis votre réseau" in response.text
    assert client.get("/verify/", {"code": "ABCD"}, **booth).status_code == 429
    json = client.get(f"/api/certificates/{certificate.code}/", **booth)
    assert json.status_code == 429 and json.json()["error"] == "rate_limited"
    # Another address behind the same proxy is counted apart.
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 200


def test_json_endpoint(client, certificate, instructor):
    data = client.get(f"/api/certificates/{certificate.code}/").json()
    assert data["status"] == "valid" and data["number"] == certificate.code
    assert data["holder"] == "Camille Martin" and data["hours"] == 7
    assert data["url"] == certificate.verify_url and data["revoked_on"] is None
    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Erreur")
    data = client.get(f"/api/certificates/{certificate.public_id}/").json()
    assert data["status"] == "revoked" and data["revocation_reason"] == "Erreur"
    assert data["revoked_on"] == timezone.localdate().isoformat()
    unknown = client.get("/api/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert unknown.status_code == 404 and unknown.json() == {"error": "not_found"}


def _check(client, data: bytes, name="certificat.pdf"):
    return client.post("/verify/pdf/", {"pdf": SimpleUploadedFile(name, data)})


def test_check_a_pdf(client, certificate, instructor):
    genuine = certificate.pdf.open("rb").read()
    response = _check(client, genuine)
    assert response.status_code == 200
    assert "Atelier a délivré ce fichier, et il n’a pas été modifié." in response.text
    assert "Valide" in response.text

    changed = bytearray(genuine)
    changed[len(changed) // 3] ^= 0x01  # one byte
    response = _check(client, bytes(changed))
    assert response.status_code == 422
    assert "Atelier n’a pas délivré ce fichier tel quel" in response.text

    unsigned = certificate_pdf_render(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        issued_on=timezone.localdate(),
        code=certificate.code,
        verify_url=certificate.verify_url,
    )
    assert _check(client, unsigned).status_code == 422
    assert _check(client, sign_with_another_key(unsigned)).status_code == 422

    response = _check(client, b"GIF89a not a pdf at all", name="photo.pdf")
    assert response.status_code == 400 and "Ce fichier n’est pas un PDF." in response.text

    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Fraude")
    response = _check(client, genuine)
    assert response.status_code == 200 and "Révoqué" in response.text


@override_settings(CERTIFICATES_VERIFY_PDF_MAX_BYTES=1_000_000)
def test_too_large_uploads_are_refused_without_being_read(client, db):
    # Just over the limit: the declared length passes, the streaming handler stops it.
    response = _check(client, b"%PDF-" + b"0" * 1_004_000)
    assert response.status_code == 413
    assert "Ce fichier est trop gros pour être un certificat" in response.text


def test_a_100_mb_upload_is_refused(client, db):
    response = _check(client, b"%PDF-" + bytes(100 * 1024 * 1024))
    assert response.status_code == 413


def test_holder_shares_and_adds_to_linkedin(client, certificate, trainee):
    client.force_login(trainee)
    response = client.get(certificate.get_absolute_url())
    assert "Ajouter à mon profil LinkedIn" in response.text
    link = next(
        part.split('"')[0]
        for part in response.text.split('href="')
        if part.startswith("https://www.linkedin.com/")
    ).replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query["name"] == ["Initiation FDM"]
    assert query["organizationName"] == ["Atelier"]
    assert query["certId"] == [certificate.code]
    assert query["certUrl"] == [certificate.verify_url]
    assert query["issueYear"] == [str(certificate.issued_at.year)]
    assert certificate.verify_url in response.text  # the link to share


def test_pdf_form_page_and_missing_file(client, db):
    assert client.get("/verify/pdf/").status_code == 200
    response = client.post("/verify/pdf/", {})
    assert response.status_code == 400
    assert "Choisissez le fichier PDF du certificat." in response.text


def test_the_limit_counts_on_redis_in_one_round_trip_and_every_window_expires(
    client, settings, redis_cache
):
    """Production's cache is Redis: each look-up is counted in one MULTI/EXEC."""
    from certificates.ratelimit import verify_allowed

    settings.CERTIFICATES_VERIFY_RATES = ["3/60", "5/3600"]
    request = RequestFactory().get("/verify/", REMOTE_ADDR="203.0.113.9")
    raw = redis_cache.raw
    answers = [verify_allowed(request) for _ in range(6)]
    assert answers == [True, True, True, False, False, False]
    keys = redis_cache.written()
    assert len(keys) == 2
    assert all(0 < raw.ttl(key) <= 3601 for key in keys)
    assert sorted(int(raw.get(key)) for key in keys) == [6, 6]
    other = RequestFactory().get("/verify/", REMOTE_ADDR="203.0.113.10")
    assert verify_allowed(other)
