"""An employer on a phone checks certificates: a tampered PDF, a revoked and a replaced one."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certificates import services
from tests.fixtures.progress import practical_passed

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_employer_sees_tampered_revoked_and_replaced(
    phone, live_server, course, trainee, other_trainee, instructor, offline_printer, tmp_path
):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    practical_passed(course=course, user=other_trainee, printer=offline_printer, grader=instructor)
    kept = services.certificate_issue(user=trainee, course=course)
    revoked = services.certificate_issue(user=other_trainee, course=course)
    services.certificate_revoke(certificate=revoked, actor=instructor, reason="Fraude au TP")

    # A PDF with one byte changed.
    genuine = kept.pdf.open("rb").read()
    tampered = bytearray(genuine)
    tampered[len(tampered) // 2] ^= 0x01
    (tmp_path / "modifie.pdf").write_bytes(bytes(tampered))
    (tmp_path / "original.pdf").write_bytes(genuine)
    phone.goto("/verify/pdf/")
    phone.get_by_label("PDF du certificat").set_input_files(str(tmp_path / "modifie.pdf"))
    phone.get_by_role("button", name="Vérifier").click()
    expect(phone.get_by_text("Atelier n’a pas délivré ce fichier tel quel")).to_be_visible()
    _no_sideways_scroll(phone)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "certificate-pdf-tampered.png"), full_page=True)
    phone.get_by_label("PDF du certificat").set_input_files(str(tmp_path / "original.pdf"))
    phone.get_by_role("button", name="Vérifier").click()
    expect(
        phone.get_by_text("Atelier a délivré ce fichier, et il n’a pas été modifié.")
    ).to_be_visible()

    # A revoked certificate, found by its number.
    phone.goto("/verify/")
    phone.get_by_label("Numéro de certificat").fill(revoked.code)
    phone.get_by_role("button", name="Vérifier").click()
    expect(phone.get_by_text("Révoqué", exact=True)).to_be_visible()
    expect(phone.get_by_text("Fraude au TP")).to_be_visible()
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(SHOTS / "certificate-revoked.png"), full_page=True)

    # A replaced one (new legal name), by its URL pasted: it links to the current version.
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    (current,) = services.certificates_name_update(user=trainee)
    phone.goto("/verify/")
    phone.get_by_label("Numéro de certificat").fill(kept.verify_url)
    phone.get_by_role("button", name="Vérifier").click()
    expect(phone.get_by_text("Remplacé", exact=True)).to_be_visible()
    phone.get_by_role("link", name="Voir la version en vigueur").click()
    expect(phone.get_by_text("Camille Martin-Durand")).to_be_visible()
    expect(phone.get_by_text("Valide", exact=True)).to_be_visible()
    assert phone.url.endswith(current.get_absolute_url())
    phone.screenshot(path=str(SHOTS / "certificate-replaced-current.png"), full_page=True)
