"""Open Badges 3.0: the credential checked by libraries that share no code with Atelier."""

from urllib.parse import urlparse

import jwt
import pytest
from django.test import override_settings
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from certificates import services
from certificates.badges import public_key_pem

SITE = "https://atelier.example.fr"


@pytest.fixture
def certificate(course, trainee, passed):
    return services.certificate_issue(user=trainee, course=course)


def _fetcher(client):
    def download(url: str) -> bytes:
        assert url.startswith(SITE)
        response = client.get(urlparse(url).path)
        assert response.status_code == 200
        return response.content

    return download


@override_settings(SITE_URL=SITE)
def test_credential_verifies_and_revocation_is_seen(client, certificate, instructor, trainee):
    response = client.get(f"/v/{certificate.public_id}/badge.jwt")
    assert response.status_code == 200
    token = response.content.decode()

    # The issuer's public key, as the public profile publishes it (JWK).
    profile = client.get("/badges/issuer/").json()
    assert profile["id"] == f"{SITE}/badges/issuer/" and profile["type"] == ["Profile"]
    key = jwt.algorithms.ECAlgorithm.from_jwk(profile["publicKeyJwk"])

    # PyJWT alone: the signature, and the fields the OB 3.0 spec requires.
    payload = jwt.decode(token, key=key, algorithms=["ES256"], options={"verify_aud": False})
    for required in ("@context", "id", "type", "credentialSubject", "issuer", "validFrom"):
        assert required in payload, required
    assert "OpenBadgeCredential" in payload["type"]
    assert payload["id"] == certificate.verify_url
    assert payload["credentialSubject"]["achievement"]["name"] == "Initiation FDM"
    assert trainee.email not in token and trainee.email not in str(payload)

    # openbadgeslib's verifier, with the revocation list fetched from Atelier.
    verifier = OB3Verifier(public_key_pem())
    credential = verifier.verify(token, check_status=True, download=_fetcher(client))
    assert credential.issuer.id == f"{SITE}/badges/issuer/"

    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Fraude")
    with pytest.raises(OB3VerificationError, match="revocation.*is set at index"):
        verifier.verify(token, check_status=True, download=_fetcher(client))
    # Still a genuine signature: revocation is a status, not a forgery.
    assert verifier.verify(token).issuer.name == "Atelier"


def test_edited_credential_is_refused(client, certificate):
    token = client.get(f"/v/{certificate.public_id}/badge.jwt").content.decode()
    header, body, signature = token.split(".")
    forged = ".".join([header, body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB"), signature])
    with pytest.raises(OB3VerificationError):
        OB3Verifier(public_key_pem()).verify(forged)
