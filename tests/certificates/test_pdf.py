"""The certificate PDF as an employer receives it: read back with pypdf and poppler.

These tests look at the produced file, not at the template: one page whatever the name,
the facts an employer checks present as text, the shipped fonts embedded, vector only.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from certificates.pdf import (
    FONTS_DIR,
    _LocalFontsFetcher,
    certificate_html,
    certificate_pdf_render,
)

CODE = "ATL-2026-7F3K-9QX2"
VERIFY_URL = f"https://atelier.example.fr/certificats/verifier/{CODE}/"
# 120 characters, with accents, apostrophes and hyphens, as the brief's worst case.
LONG_NAME = ("Maximilienne-Aurélie de La Tour d'Auvergne-Montmorency " * 3)[:120]


def render(**overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "holder_name": "Émilie Dubois-Laurent",
        "course_title": "Maintenance préventive d'une ferme d'impression 3D",
        "issued_on": datetime.date(2026, 11, 24),
        "code": CODE,
        "verify_url": VERIFY_URL,
        "farm_name": "Ferme Additive de Lyon",
        "language": "fr",
    }
    arguments.update(overrides)
    return certificate_pdf_render(**arguments)


def squeeze(text: str) -> str:
    """Text without any whitespace: long names and URLs may wrap onto two lines."""
    return "".join(text.split())


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def french_pdf() -> bytes:
    return render()


@pytest.fixture(scope="module")
def french_reader(french_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(french_pdf))


def test_one_page_with_name_code_and_verify_url(french_reader: PdfReader) -> None:
    assert len(french_reader.pages) == 1
    text = squeeze(french_reader.pages[0].extract_text())
    assert squeeze("Émilie Dubois-Laurent") in text
    assert CODE in text
    assert VERIFY_URL in text
    assert squeeze("Ferme Additive de Lyon") in text


def test_page_is_a4_landscape(french_reader: PdfReader) -> None:
    box = french_reader.pages[0].mediabox
    # A4 is 842 x 595 pt; landscape means the width is the long side.
    assert round(float(box.width)) == 842
    assert round(float(box.height)) == 595


def test_metadata_title_names_the_holder(french_reader: PdfReader) -> None:
    assert french_reader.metadata is not None
    assert "Émilie Dubois-Laurent" in (french_reader.metadata.title or "")


def test_120_character_name_still_one_page() -> None:
    assert len(LONG_NAME) == 120
    reader = PdfReader(io.BytesIO(render(holder_name=LONG_NAME, course_title="T" * 5 + " x" * 80)))
    assert len(reader.pages) == 1
    assert squeeze(LONG_NAME) in squeeze(reader.pages[0].extract_text())


def test_english_version_speaks_english() -> None:
    reader = PdfReader(io.BytesIO(render(language="en")))
    text = one_line(reader.pages[0].extract_text())
    assert "This certifies that" in text
    assert "has successfully completed the training" in text
    # Django's English DATE_FORMAT ("N j, Y").
    assert "Nov. 24, 2026" in text


def test_french_version_formats_the_date_in_french(french_reader: PdfReader) -> None:
    # The French wording comes from the project's .po file; the date format comes from
    # Django itself, so it is what can be asserted before that translation exists.
    assert "24 novembre 2026" in one_line(french_reader.pages[0].extract_text())


def _raster_images(resources: DictionaryObject | None, seen: set[int]) -> list[str]:
    """Names of image XObjects in these resources, looking inside form XObjects too."""
    if not resources or "/XObject" not in resources:
        return []
    found = []
    for name, reference in resources["/XObject"].get_object().items():
        xobject = reference.get_object()
        if id(xobject) in seen:
            continue
        seen.add(id(xobject))
        if xobject.get("/Subtype") == "/Image":
            found.append(name)
        elif xobject.get("/Subtype") == "/Form":
            found += _raster_images(xobject.get("/Resources"), seen)
    return found


def test_no_raster_image_the_qr_is_vector(french_reader: PdfReader) -> None:
    page = french_reader.pages[0]
    assert _raster_images(page.get("/Resources"), set()) == []


def test_only_the_shipped_fonts_are_embedded(french_reader: PdfReader) -> None:
    page = french_reader.pages[0]
    fonts = page["/Resources"]["/Font"].get_object()
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    # The @font-face families carry names of our own, so these come from the files in
    # certificates/static/certificates/fonts/, never from a system copy.
    families = {name.split("+", 1)[-1] for name in names}
    assert families == {
        "Atelier-Serif",
        "Atelier-Serif-Italic",
        "Atelier-Sans",
        "Atelier-Sans-Bold",
    }, names


def test_fetcher_refuses_anything_but_the_font_files() -> None:
    fetcher = _LocalFontsFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/font.woff2")
    with pytest.raises(ValueError):
        fetcher.fetch(Path("/etc/passwd").as_uri())
    response = fetcher.fetch((FONTS_DIR / "Lato-Regular.ttf").as_uri())
    try:
        assert response.read(4)
    finally:
        response.close()


def test_poppler_renders_it_to_a_single_png(french_pdf: bytes, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm missing: install poppler-utils"
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(french_pdf)
    subprocess.run(
        [pdftoppm, "-r", "100", "-png", str(pdf_path), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    assert pngs[0].read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_long_name_is_sized_in_css_that_every_language_can_read(language: str) -> None:
    # A fitted size is a decimal: in French Django writes « 30,8 », which CSS ignores.
    html = certificate_html(
        holder_name="Marie-Clémentine Dupont-Éloïse de la Fontaine-Saint-Hilaire",
        course_title="Initiation à l'impression 3D FDM, parcours complet des fermes",
        issued_on=datetime.date(2026, 11, 30),
        code="5D7J-25W3-EZ2A-H988",
        verify_url="https://atelier.example.org/v/abc/",
        language=language,
    )
    sizes = re.findall(r"\.(holder|course) \{ font-size: ([^;]+); \}", html)
    assert [name for name, _ in sizes] == ["holder", "course"]
    for _, size in sizes:
        assert re.fullmatch(r"\d+(\.\d+)?pt", size), size
