"""Render a certificate of achievement as a one-page A4-landscape PDF.

The PDF is what a trainee shows an employer, so it must look the same everywhere and
never depend on the machine that made it:

- the fonts (EB Garamond and Lato, both SIL OFL 1.1) ship with the app in
  ``certificates/static/certificates/fonts/`` and are loaded through ``@font-face``;
- WeasyPrint may only read files from that folder: any other URL (http, data, a file
  elsewhere) is refused, so a template change can never make rendering touch the network;
- the QR code pointing to the public verification page is inline vector SVG made by
  segno, so it stays sharp when printed and the PDF carries no raster image;
- long names and course titles get a smaller font, computed here, so the certificate is
  always exactly one page.

The wording lives in the template ``certificates/certificate_pdf.html`` and is translated
with Django's i18n, in the language asked for rather than the request's.
"""

from __future__ import annotations

import datetime
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import override
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS_DIR = Path(__file__).resolve().parent / "static" / "certificates" / "fonts"

# Width available to the centred text block, in points (297 mm page minus the frame and
# the side margins set in the template's CSS: 297 - 2 * 38 mm = 221 mm).
_TEXT_WIDTH_PT = 221 / 25.4 * 72

# Average advance width of a character, as a fraction of the font size. Measured roughly
# on EB Garamond for mixed-case Latin names; a slight overestimate keeps us on the safe
# side of the line count.
_SERIF_EM_RATIO = 0.46


class _LocalFontsFetcher(URLFetcher):
    """URL fetcher that only serves the shipped font files.

    ``fail_on_errors`` makes a refused or missing resource stop the rendering: a
    certificate silently drawn in a fallback font would be worse than an error.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Certificate rendering refuses non-file URL: {url}")
        path = Path(unquote(parsed.path)).resolve()
        images = Path(settings.MEDIA_ROOT).resolve() / "original_images"
        if not (path.is_relative_to(FONTS_DIR) or path.is_relative_to(images)):
            raise ValueError(f"Certificate rendering refuses file outside fonts: {url}")
        return super().fetch(url, headers)


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused: loading the @font-face files again for
    every certificate tripled the rendering time."""
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def _fit_font_size(
    text: str, *, max_pt: float, min_pt: float, max_lines: int, width_pt: float = _TEXT_WIDTH_PT
) -> float:
    """Largest size (in points) at which ``text`` should fit in ``max_lines`` lines.

    An estimate from the character count, not a layout: good enough because the template
    leaves slack, and it keeps rendering to a single WeasyPrint pass.
    """
    length = max(len(text), 1)
    one_line = width_pt / (_SERIF_EM_RATIO * length)
    if one_line >= max_pt:
        return max_pt
    # Prefer one line down to a size that still reads as a headline, then wrap; wrapping
    # wastes part of each line, hence the 0.9.
    if max_lines == 1 or one_line >= max_pt * 0.7:
        return round(max(one_line, min_pt), 1)
    wrapped = 0.9 * max_lines * width_pt / (_SERIF_EM_RATIO * length)
    return round(max(min(wrapped, max_pt * 0.7), min_pt), 1)


def _qr_svg(url: str) -> str:
    """The verification URL as an inline SVG QR code, sized by CSS (no width/height)."""
    # Level M is plenty for a printed page; segno raises it when the size allows.
    qr = segno.make(url, error="m")
    # No quiet zone in the SVG: the template keeps white space around it instead, so the
    # QR's edge lines up with the text beside it.
    return qr.svg_inline(scale=1, border=0, omitsize=True, dark="#000")


def certificate_pdf_render(
    *,
    holder_name: str,
    course_title: str,
    issued_on: datetime.date,
    code: str,
    verify_url: str,
    farm_name: str = "",
    language: str = "fr",
    hours: int | None = None,
    competencies: list[str] | tuple[str, ...] = (),
    template=None,
) -> bytes:
    """Return the certificate as PDF bytes (one A4-landscape page, PDF/A-3b, unsigned).

    `template` is the course's `CertificateTemplate` (wording, colours, logo, signatories).
    """
    context = {
        **_template_context(template, language),
        "hours": hours,
        "competencies": list(competencies)[:8],
        "holder_name": holder_name,
        "course_title": course_title,
        "issued_on": issued_on,
        "code": code,
        "verify_url": verify_url,
        "farm_name": farm_name,
        "language": language,
        "name_size_pt": _fit_font_size(holder_name, max_pt=44, min_pt=16, max_lines=2),
        "course_size_pt": _fit_font_size(course_title, max_pt=22, min_pt=12, max_lines=2),
        # segno's output contains only the SVG path data, nothing taken as markup from
        # user input, so it is safe to insert unescaped.
        "qr_svg": mark_safe(_qr_svg(verify_url)),
        "fonts_url": FONTS_DIR.as_uri() + "/",
    }
    with override(language):
        html = render_to_string("certificates/certificate_pdf.html", context)
    document = HTML(
        string=html,
        base_url=FONTS_DIR.as_uri() + "/",
        url_fetcher=_LocalFontsFetcher(),
    )
    return document.write_pdf(pdf_variant="pdf/a-3b", font_config=_font_config())


def _image_uri(image) -> str:
    """A file URI for a Wagtail image's original (the fetcher allows only those and fonts)."""
    try:
        return Path(image.file.path).resolve().as_uri() if image else ""
    except (ValueError, NotImplementedError):  # no file, or storage without local paths
        return ""


def _template_context(template, language: str) -> dict:
    if template is None:
        return {"ink": "#1d2b44", "accent": "#a8864a", "signatories": []}
    signatories = list(template.signatories.all()[:3]) if template.pk else []
    return {
        "custom_title": getattr(template, f"title_{language}", ""),
        "custom_text": getattr(template, f"text_{language}", ""),
        "ink": template.ink_colour or "#1d2b44",
        "accent": template.accent_colour or "#a8864a",
        "logo_uri": _image_uri(template.logo),
        "signatories": [
            {"name": s.name, "role": s.role, "signature_uri": _image_uri(s.signature)}
            for s in signatories
        ],
    }


def certificate_pdf_sample(*, template, language: str) -> bytes:
    """The preview of a template: a sample holder, today's date, a sample number."""
    course = template.course if template.course_id else None
    return certificate_pdf_render(
        holder_name="Camille Martin",
        course_title=course.title if course else "Initiation à l’impression 3D FDM",
        issued_on=timezone.localdate(),
        code="0000-0000-0000-0000",
        verify_url=settings.SITE_URL.rstrip("/") + "/v/exemple/",
        farm_name="Atelier",
        language=language,
        hours=course.hours if course else 7,
        template=template,
    )


def certificate_pdf_make(*, certificate, language: str = "") -> bytes:
    """The signed PDF of a certificate version, in its language unless told another."""
    from .models import CertificateTemplate
    from .signing import pdf_sign

    pdf = certificate_pdf_render(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        issued_on=timezone.localdate(certificate.issued_at),
        code=certificate.code,
        verify_url=certificate.verify_url,
        farm_name=certificate.farm_name,
        language=language or certificate.language,
        hours=certificate.course_hours,
        competencies=certificate.competencies,
        template=CertificateTemplate.objects.filter(course_id=certificate.course_id).first(),
    )
    return pdf_sign(pdf)
