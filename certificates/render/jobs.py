"""What the Django side sends to the render process: plain values, no Django, no WeasyPrint.

Both sides import this module (the client to build a job, the worker to read it), so it
must stay as light as the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CERTIFICATES_DIR = Path(__file__).resolve().parents[1]
# The shipped fonts (SIL OFL 1.1): the only files a certificate may use besides the
# folders a job names (Wagtail's renditions of the logo and signatures).
FONTS_DIR = CERTIFICATES_DIR / "static" / "certificates" / "fonts"
# The page's rules, parsed once per render process with the font configuration.
CSS_FILE = CERTIFICATES_DIR / "templates" / "certificates" / "certificate_pdf.css"
# The signature's form field, looked for by « Vérifier un PDF ».
SIGNATURE_FIELD = "AtelierSignature"


@dataclass(frozen=True)
class SigningFiles:
    """Where the organisation's key and certificate are (PEM). The certificate file carries
    the leaf first, then the chain; both may be one file (the development pair)."""

    key_path: str
    cert_path: str


@dataclass(frozen=True)
class RenderJob:
    """One certificate to render: its HTML, made by Django from the course's template."""

    html: str
    # Folders the renderer may read besides the fonts (resolved absolute paths).
    allowed_dirs: tuple[str, ...] = ()
    # Sign the PDF (PAdES B-B) with these files; None for an unsigned PDF (a preview).
    signing: SigningFiles | None = None
    pdf_variant: str = "pdf/a-3b"

    def __post_init__(self):
        # A plain str: Django's SafeString would make the render process import Django
        # to unpickle it.
        object.__setattr__(self, "html", str.__str__(self.html))
