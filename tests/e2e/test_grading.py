"""Grading with the rubric in a real Chromium: an instructor on a 375 px phone fails a print
(rubric, comment, photo, bed cleared), corrects it on a desktop; the trainee reads the
checks with their values, the temperature curve, the rubric and the grade, and is offered
to book again after the fail."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from practicals.models import (
    Assessment,
    BedClearance,
    PracticalCheck,
    PrintAttempt,
    Printer,
    RubricCriterion,
)
from practicals.services.telemetry import TelemetryBuffer
from tests.fixtures.courses import PASSWORD, course_build, steps_of
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import practical_passed

pytestmark = pytest.mark.e2e

SHOTS = Path("var/test-screenshots")


def _login(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/|/$"))


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _record_heated_print(attempt):
    """Five minutes of readings every 2 s: heated in 40 s, then within ±1 °C."""
    buffer = TelemetryBuffer(attempt_id=attempt.pk, started_epoch=0.0)
    for t in range(0, 301, 2):
        share = min(1.0, t / 40)
        buffer.sample(
            at_epoch=t,
            nozzle=25 + 185 * share,
            nozzle_target=210,
            bed=25 + 35 * share,
            bed_target=60,
        )
    buffer.write()


@pytest.fixture
def graded_print(live_server, trainee, instructor):
    from practicals.models import Farm

    course = course_build(title="Initiation à l’impression 3D FDM")
    farm = farm_open_always(Farm.objects.create(name="Ferme de Lyon", timezone="Europe/Paris"))
    farm.instructors.add(instructor)
    printer = Printer.objects.create(
        farm=farm,
        name="Prusa 3",
        octoprint_url="http://127.0.0.1:9",
        api_key="x" * 43,
        material=pla(),
    )
    attempt = practical_passed(course=course, user=trainee, printer=printer, grader=instructor)
    PrintAttempt.objects.filter(pk=attempt.pk).update(
        grade="",
        graded_by=None,
        graded_at=None,
        started_at=timezone.now() - dt.timedelta(hours=1),
        print_time_s=300,
    )
    attempt.refresh_from_db()
    _record_heated_print(attempt)
    practical = steps_of(course)[-1].specific
    PracticalCheck.objects.create(page=practical, kind="finished", mandatory=True)
    PracticalCheck.objects.create(page=practical, kind="heatup", threshold=60, mandatory=True)
    PracticalCheck.objects.create(page=practical, kind="band", threshold=5, mandatory=False)
    RubricCriterion.objects.create(
        page=practical,
        label="Première couche",
        weight=2,
        levels="Décollée\nIrrégulière\nRégulière\nParfaite, bien écrasée",
    )
    RubricCriterion.objects.create(
        page=practical,
        label="Côté X du cube de 20 mm",
        kind=RubricCriterion.Kind.MEASURED,
        nominal=20,
        tolerance=0.2,
        unit="mm",
    )
    return attempt


def _photo(tmp_path) -> Path:
    path = tmp_path / "cube.jpg"
    image = Image.new("RGB", (800, 600), (220, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return path


def test_instructor_grades_with_the_rubric_and_the_trainee_reads_it(
    browser, phone, live_server, graded_print, trainee, instructor, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempt = graded_print

    # The instructor, on a 375 px phone.
    page = phone
    page.set_viewport_size({"width": 375, "height": 812})
    _login(page, instructor)
    page.goto("/practicals/grading/")
    expect(page.get_by_role("heading", name="Plateaux à libérer")).to_be_visible()
    page.get_by_role("link", name="Noter").click()
    checks = page.locator("#checks")
    expect(checks.locator(".check-heatup")).to_contain_text("40\u00a0s")
    expect(checks.locator(".check-heatup .badge")).to_have_text("réussi")
    expect(checks.locator(".check-band")).to_contain_text("0\u00a0%")
    _fits(page, 375)
    page.get_by_label(re.compile("0 — Décollée")).check()
    page.get_by_label("Côté X du cube de 20 mm").fill("20.6")
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_role("alert")).to_contain_text("Expliquez ce qui n’allait pas")
    _fits(page, 375)
    page.get_by_label(re.compile("0 — Décollée")).check()
    page.get_by_label("Côté X du cube de 20 mm").fill("20.6")
    page.get_by_label("Commentaire pour le stagiaire").fill(
        "La première couche s’est décollée : nettoyez le plateau à l’alcool."
    )
    page.get_by_label("Photos de l’impression").set_input_files(str(_photo(tmp_path)))
    page.get_by_label(re.compile("le plateau est libre")).check()
    page.screenshot(path=str(SHOTS / "grading-375.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_text("Évaluation enregistrée\u00a0: échouée.")).to_be_visible()
    expect(page.get_by_role("heading", name="Plateaux à libérer")).to_have_count(0)
    assert BedClearance.objects.get(attempt=attempt).confirmed_by == instructor
    failed = Assessment.objects.get(attempt=attempt)
    assert not failed.passed and failed.rubric_percent == 0
    assert failed.photos.count() == 1

    # The trainee, on a phone, reads the fail and is offered to book again.
    trainee_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 812}, locale="fr-FR"
    )
    reader = trainee_context.new_page()
    _login(reader, trainee)
    reader.goto(f"/practicals/attempts/{attempt.pk}/")
    grade = reader.locator("#grade")
    expect(grade.locator(".assessment-verdict").first).to_have_text("non réussi")
    expect(grade.locator(".check-heatup")).to_contain_text("Cible ±3\u00a0°C atteinte en 40\u00a0s")
    expect(grade).to_contain_text("niveau 0 sur 3")
    expect(grade).to_contain_text("nettoyez le plateau")
    expect(reader.get_by_role("link", name="Réserver à nouveau")).to_be_visible()
    expect(grade.get_by_role("img", name=re.compile("Photo 1"))).to_be_visible()
    chart = reader.locator("#attempt-chart")
    expect(chart).to_be_visible()
    assert reader.evaluate("document.getElementById('attempt-chart').naturalWidth") > 0
    _fits(reader, 375)
    reader.screenshot(path=str(SHOTS / "grade-failed-375.png"), full_page=True)

    # The instructor, on a desktop, corrects the grade: a new record, the first kept.
    desktop = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    big = desktop.new_page()
    _login(big, instructor)
    big.goto(f"/practicals/attempts/{attempt.pk}/grade/")
    expect(big.locator("#current-grade")).to_contain_text("nettoyez le plateau")
    big.get_by_label(re.compile("3 — Parfaite")).check()
    big.get_by_label("Côté X du cube de 20 mm").fill("20.1")
    big.get_by_label("Commentaire pour le stagiaire").fill("Mesure refaite : le cube est bon.")
    big.screenshot(path=str(SHOTS / "grading-desktop.png"), full_page=True)
    big.get_by_role("button", name="Enregistrer la note").click()
    expect(big.get_by_text("Évaluation enregistrée\u00a0: réussie.")).to_be_visible()
    assert Assessment.objects.filter(attempt=attempt).count() == 2

    reader.reload()
    expect(grade.locator(".assessment-verdict").first).to_have_text("réussi")
    expect(grade).to_contain_text("Mesure refaite")
    expect(grade).to_contain_text("dans la tolérance")
    expect(reader.get_by_role("link", name="Réserver à nouveau")).to_have_count(0)
    reader.get_by_text("Évaluations précédentes (corrigées)").click()
    expect(grade).to_contain_text("nettoyez le plateau")
    _fits(reader, 375)
    reader.screenshot(path=str(SHOTS / "grade-passed-375.png"), full_page=True)
    trainee_context.close()
    desktop.close()
