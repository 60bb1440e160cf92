"""Reading what an employer gives us: a typed number, a pasted URL, or a PDF file."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db.models import Q

from .codes import code_normalise
from .models import Certificate
from .signing import pdf_signature_check

_PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def certificate_find(*, typed: str) -> Certificate | None:
    """The certificate a person means: its number, its verification URL, or the URL's id."""
    typed = (typed or "").strip()[:300]
    if "/v/" in typed:
        typed = typed.split("/v/", 1)[1].split("/", 1)[0].split("?", 1)[0]
    code = code_normalise(typed)
    if code is not None:
        found = Certificate.objects.filter(code=code).first()
        if found is not None:
            return found
    if _PUBLIC_ID.match(typed):
        return Certificate.objects.filter(public_id=typed).first()
    return None


@dataclass(frozen=True)
class PdfCheck:
    verdict: str  # "genuine", "not_genuine" (changed, or not signed by us), "not_pdf"
    certificate: Certificate | None = None


def certificate_pdf_check(*, data: bytes) -> PdfCheck:
    """Whether Atelier issued this very file: our intact signature and a hash we recorded."""
    if not data.startswith(b"%PDF-"):
        return PdfCheck(verdict="not_pdf")
    digest = hashlib.sha256(data).hexdigest()
    certificate = Certificate.objects.filter(
        Q(pdf_sha256=digest) | Q(pdf_other_sha256=digest)
    ).first()
    signature = pdf_signature_check(data)
    if certificate is not None and signature.signed_by_us and signature.whole_file:
        return PdfCheck(verdict="genuine", certificate=certificate)
    # Changed (a byte, or something added after our signature), or signed by someone else:
    # one answer, since the employer's conclusion is the same.
    return PdfCheck(verdict="not_genuine")
