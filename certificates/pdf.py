"""A certificate of achievement as a one-page A4-landscape PDF: what Django prepares.

The PDF is what a trainee shows an employer, so it must look the same everywhere and
never depend on the machine that made it:

- the fonts (EB Garamond and Lato, both SIL OFL 1.1) ship with the app in
  ``certificates/static/certificates/fonts/`` and are loaded through ``@font-face``;
- the renderer may only read files from that folder and Wagtail's image renditions: any
  other URL (http, data, a file elsewhere) is refused, so a template change can never
  make rendering touch the network;
- the QR code pointing to the public verification page is inline vector SVG made by
  segno, so it stays sharp when printed and the PDF carries no raster image;
- long names and course titles get a smaller font, computed here, so the certificate is
  always exactly one page.

The wording lives in the template ``certificates/certificate_pdf.html`` and is translated
with Django's i18n, in the language asked for rather than the request's. This module makes
the page's HTML (the ORM, the settings, the templates) and hands it to the render process
(`certificates.render`), which alone imports WeasyPrint and pyHanko, lays it out and signs
it: the memory of rendering is not added to a process that holds Django and Wagtail.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import override

from .render.client import render_worker
from .render.jobs import CSS_FILE, FONTS_DIR, RenderJob

__all__ = [
    "CSS_FILE",
    "FONTS_DIR",
    "certificate_html",
    "certificate_pdf_make",
    "certificate_pdf_prepare",
    "certificate_pdf_render",
    "certificate_pdf_sample",
]

# Width available to the centred text block, in points (297 mm page minus the frame and
# the side margins set in the template's CSS: 297 - 2 * 38 mm = 221 mm).
_TEXT_WIDTH_PT = 221 / 25.4 * 72

# Average advance width of a character, as a fraction of the font size. Measured roughly
# on EB Garamond for mixed-case Latin names; a slight overestimate keeps us on the safe
# side of the line count.
_SERIF_EM_RATIO = 0.46

# Rendition of the logo and signature images: about 300 dpi at the size they are printed
# (logo 34 x 18 mm, signatures 50 x 12 mm), so an 8-megapixel scan is not decoded and
# embedded again for every certificate.
LOGO_RENDITION = "max-400x220"
SIGNATURE_RENDITION = "max-600x150"


def __getattr__(name: str):
    # The fetcher lives with WeasyPrint in the render process's engine; imported here only
    # when asked for by name, so that Django's processes never load WeasyPrint.
    if name == "_LocalFontsFetcher":
        from .render.engine import LocalFilesFetcher

        return LocalFilesFetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _images_dir() -> str:
    """Wagtail's renditions: the only files besides the fonts a certificate may show."""
    return str(Path(settings.MEDIA_ROOT).resolve() / "images")


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


def certificate_html(
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
) -> str:
    """The certificate's page as HTML, for the render process.

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
    }
    with override(language):
        return render_to_string("certificates/certificate_pdf.html", context)


def certificate_pdf_render(**facts: Any) -> bytes:
    """The certificate as PDF bytes (one A4-landscape page, PDF/A-3b, unsigned): the
    arguments of `certificate_html`."""
    job = RenderJob(html=certificate_html(**facts), allowed_dirs=(_images_dir(),))
    return render_worker().render(job)


def _image_uri(image, spec: str) -> str:
    """A file URI for a rendition of a Wagtail image sized for the certificate (the fetcher
    allows only those and the fonts); empty when the image has no file."""
    if not image:
        return ""
    try:
        return Path(image.get_rendition(spec).file.path).resolve().as_uri()
    except (OSError, ValueError, NotImplementedError):  # no file, or no local paths
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
        "logo_uri": _image_uri(template.logo, LOGO_RENDITION),
        "signatories": [
            {
                "name": s.name,
                "role": s.role,
                "signature_uri": _image_uri(s.signature, SIGNATURE_RENDITION),
            }
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
    from .signing import signing_files

    html = certificate_html(
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
    job = RenderJob(html=html, allowed_dirs=(_images_dir(),), signing=signing_files())
    return render_worker().render(job)


def certificate_pdf_prepare() -> None:
    """Start this process's render process and load its fonts and signer (a Celery
    worker does it when it starts, not in its first certificate's task)."""
    from .signing import signing_files

    render_worker().prepare(signing_files())
