"""Open Badges 3.0: each certificate version as a W3C Verifiable Credential (JWT-VC, ES256).

Signed with the organisation's key (the one that signs PDFs), issued by a public profile
(`/badges/issuer/`), revocation published as a Bitstring Status List (`/badges/status/`),
where a certificate's bit is its row id. The holder's e-mail appears only salted and hashed.
"""

from __future__ import annotations

import datetime as dt
import json

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.urls import reverse
from jwt.algorithms import ECAlgorithm
from openbadgeslib.ob3 import (
    Achievement,
    IdentityObject,
    Issuer,
    OB3Signer,
    OpenBadgeCredential,
    build_status_list_credential,
    sign_status_list_credential,
    status_entry,
)

from .models import Certificate
from .signing import private_key

ALGORITHM = "ES256"
LIST_BITS = 131072  # the library's default size; grows by whole blocks past it


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_url() -> str:
    return _absolute(reverse("certificates:badge_issuer"))


def status_list_url() -> str:
    return _absolute(reverse("certificates:badge_status"))


def public_key_pem() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def issuer_profile() -> dict:
    jwk = json.loads(ECAlgorithm.to_jwk(private_key().public_key()))
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": issuer_url(),
        "type": ["Profile"],
        "name": "Atelier",
        "url": settings.SITE_URL,
        "description": "Training and certification of the 3D printing farms.",
        "publicKeyJwk": jwk,
    }


def certificate_badge(*, certificate: Certificate) -> str:
    """The certificate version as a signed OpenBadgeCredential (compact JWT)."""
    credential = OpenBadgeCredential(
        id=certificate.verify_url,
        issuer=Issuer(id=issuer_url(), name="Atelier", url=settings.SITE_URL),
        recipient_id=None,
        identifiers=[IdentityObject.create(certificate.holder.email, salt=certificate.public_id)],
        achievement=Achievement(
            id=_absolute(f"/badges/achievements/{certificate.course_id}/"),
            name=certificate.course_title,
            description=f"{certificate.course_title} ({certificate.course_hours} h)",
            criteria_narrative="Every lesson, quiz and practical of the course completed.",
            achievement_type="Certificate",
            tags=list(certificate.competencies),
        ),
        name=certificate.course_title,
        issuance_date=certificate.issued_at,
        expiration_date=certificate.expires_at,
        evidence_url=certificate.verify_url,
        credential_status=[status_entry(status_list_url(), "revocation", certificate.pk)],
    )
    return OB3Signer(private_key(), algorithm=ALGORITHM).sign(credential)


def revocation_list() -> str:
    """The signed Bitstring Status List: one bit per certificate row, set when revoked."""
    revoked = list(
        Certificate.objects.filter(status=Certificate.Status.REVOKED).values_list("pk", flat=True)
    )
    last = Certificate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    size = max(LIST_BITS, (last // LIST_BITS + 1) * LIST_BITS)
    now = dt.datetime.now(dt.UTC)
    document = build_status_list_credential(
        issuer_url(),
        status_list_url(),
        "revocation",
        revoked,
        size_bits=size,
        issued=now,
        valid_until=now + dt.timedelta(days=1),
    )
    return sign_status_list_credential(document, private_key(), ALGORITHM)
