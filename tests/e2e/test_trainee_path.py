"""The whole path in a real browser, in French, on a phone-sized screen:
sign up, verify the e-mail, enrol, learn, pass the quiz, book a printer, print on a real
OctoPrint Virtual Printer, get graded by an instructor, get the certificate, verify it.
"""

import re
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates.models import Certificate
from tests.fixtures.courses import PASSWORD, course_build
from tests.fixtures.practicals import GCODE_QUICK

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_new_trainee_walks_the_whole_path(
    phone, browser, live_server, celery_worker, printer, instructor
):
    # Half-day slots: the slot under way almost always has time left to print in it.
    course = course_build(title="Initiation à l’impression 3D FDM", slot_minutes=720)
    printer.farm.instructors.add(instructor)  # instructors grade at the farms they staff
    page = phone

    # 1. Sign up, in French, and confirm the e-mail address.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="Menu").click()  # the header's links are in its menu
    page.get_by_role("link", name="S’inscrire").first.click()
    page.get_by_label("Nom complet").fill("Léa Dupont")
    page.get_by_label("E-mail").fill("lea.dupont@example.org")
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill("Filament-PLA-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("Filament-PLA-2026")
    shot(page, "01-signup")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    # 2. Enrol, read, fail then pass the quiz.
    page.goto(course.url)
    page.get_by_role("button", name="S’inscrire à cette formation").click()
    page.get_by_role("link", name=re.compile("^(Commencer|Reprendre)")).click()
    page.get_by_role("button", name="Marquer comme terminé et continuer").click()
    page.get_by_role("button", name="Commencer le quiz").click()
    page.get_by_label("Tout de suite").check()
    page.get_by_label("0,4 mm").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("non réussi")).to_be_visible()
    page.get_by_role("button", name="Recommencer").click()
    page.get_by_label("Sous 50 °C").check()
    page.get_by_label("1,75 mm").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Votre score : 100 %")).to_be_visible()
    page.get_by_role("link", name=re.compile("Suivant")).click()
    page.get_by_role("button", name="Marquer comme terminé et continuer").click()

    # 3. Book a slot on a printer: one under way with time left to print in it.
    expect(page.get_by_role("heading", name="Réserver une imprimante")).to_be_visible()
    shot(page, "02-slots")
    now = time.time()
    slots = page.locator("button.slot")
    chosen = next(
        i
        for i in range(slots.count())
        if int(slots.nth(i).get_attribute("data-ends-at")) > now + 180
    )
    starts_at = int(slots.nth(chosen).get_attribute("data-starts-at"))
    slots.nth(chosen).click()
    expect(page.get_by_text("Votre créneau est réservé.")).to_be_visible()
    if starts_at > time.time():  # only when the slot under way was ending: wait for the next
        time.sleep(starts_at - time.time() + 1)
        page.reload()

    # 4. Print: a file that is not G-code is refused, then the real file prints.
    page.get_by_label("Votre fichier G-code").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n"}]
    )
    page.get_by_role("button", name="Imprimer").click()
    expect(page.get_by_role("alert").filter(has_text="n’est pas un fichier G-code")).to_be_visible()
    page.get_by_label("Votre fichier G-code").set_input_files(
        files=[{"name": "cube.gcode", "mimeType": "text/x-gcode", "buffer": GCODE_QUICK}]
    )
    page.get_by_role("button", name="Imprimer").click()
    page.wait_for_url(re.compile(r"/practicals/attempts/\d+/"))
    page.locator("#attempt-state").filter(has_text="terminée").wait_for(timeout=60_000)
    shot(page, "03-print-completed")

    # 5. The instructor grades the print.
    teacher = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _login(teacher, instructor.email, PASSWORD)
    teacher.goto("/practicals/grading/")
    teacher.get_by_role("link", name="Noter").first.click()
    # No rubric and no checks on this practical: a completed print passes.
    teacher.get_by_label("Commentaire pour le stagiaire").fill("Première couche régulière, bravo.")
    teacher.get_by_role("button", name="Enregistrer la note").click()
    expect(teacher.get_by_text("Évaluation enregistrée\u00a0: réussie.")).to_be_visible()
    teacher.context.close()

    # 6. The worker issues the certificate; the trainee downloads it.
    deadline = time.monotonic() + 60
    while not Certificate.objects.filter(holder__email="lea.dupont@example.org").exists():
        assert time.monotonic() < deadline, "no certificate was issued"
        time.sleep(0.3)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Mes certificats")).to_be_visible()
    shot(page, "04-dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF en français").click()
    pdf = PdfReader(BytesIO(Path(download.value.path()).read_bytes()))
    certificate = Certificate.objects.get(holder__email="lea.dupont@example.org")
    assert len(pdf.pages) == 1
    assert "Léa Dupont" in pdf.pages[0].extract_text()
    assert certificate.code in pdf.pages[0].extract_text()

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()

    # 7. An employer, with no account, opens the verification page.
    employer = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    employer.goto(certificate.get_absolute_url())
    expect(employer.get_by_text("Valide", exact=True)).to_be_visible()
    expect(employer.get_by_text("Léa Dupont")).to_be_visible()
    employer.goto("/verify/")
    employer.get_by_label("Numéro de certificat").fill(certificate.code.lower())
    employer.get_by_role("button", name="Vérifier").click()
    expect(employer.get_by_text("Initiation à l’impression 3D FDM")).to_be_visible()
    shot(employer, "05-verified")
    employer.context.close()
