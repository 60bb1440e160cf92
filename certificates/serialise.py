"""What a certificate says in public, as data (the JSON endpoint; documented in README)."""

from urllib.parse import urlencode

from django.utils import timezone

from .models import Certificate


def certificate_public(certificate: Certificate) -> dict:
    revoked_at = certificate.status_changed_at if certificate.status == "revoked" else None
    replaced_by = certificate.replaced_by
    return {
        "number": certificate.code,
        "url": certificate.verify_url,
        "status": certificate.state,
        "holder": certificate.holder_name,
        "course": certificate.course_title,
        "hours": certificate.course_hours,
        "competencies": list(certificate.competencies),
        "issuer": "Atelier",
        "farm": certificate.farm_name or None,
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "expires_on": timezone.localdate(certificate.expires_at).isoformat()
        if certificate.expires_at
        else None,
        "revoked_on": timezone.localdate(revoked_at).isoformat() if revoked_at else None,
        "revocation_reason": certificate.status_reason if revoked_at else None,
        "replaced_by": replaced_by.verify_url if replaced_by else None,
        "version": certificate.version,
    }


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's « add to profile » link, filling the Certifications section."""
    issued = timezone.localdate(certificate.issued_at)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.course_title,
        "organizationName": "Atelier",
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": certificate.verify_url,
        "certId": certificate.code,
    }
    if certificate.expires_at:
        expires = timezone.localdate(certificate.expires_at)
        params |= {"expirationYear": expires.year, "expirationMonth": expires.month}
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
