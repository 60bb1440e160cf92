"""An instructor on a 375 px phone: the cohort's progress grid scrolls inside its own box
(the page never scrolls sideways), another cohort is a 404, and the exports download."""

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from courses import services
from lms.roles import TRAINEE
from practicals.models import Cohort, Farm
from tests.fixtures.courses import PASSWORD, _person, course_build, steps_of

pytestmark = pytest.mark.e2e


def test_instructor_grid_at_375_px_and_export(phone, live_server, instructor):
    course = course_build(title="Initiation à l’impression 3D FDM")
    lesson, *_ = steps_of(course)
    farm = Farm.objects.create(name="Ferme de Lyon", timezone="Europe/Paris")
    farm.instructors.add(instructor)
    cohort = Cohort.objects.create(
        name="Session de décembre",
        farm=farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 12),
    )
    cohort.courses.add(course)
    cohort.instructors.add(instructor)
    for i, name in enumerate(["Maximilienne de La Tour-Dauvergne", "Hugo Blanc", "Zoé Fabre"]):
        trainee = _person(
            email=f"t{i}@example.org", full_name=name, password=PASSWORD, role=TRAINEE
        )
        cohort.trainees.add(trainee)
        services.enrolment_create(user=trainee, course=course)
        if i == 0:
            services.lesson_complete(user=trainee, lesson=lesson)
    other = Cohort.objects.create(
        name="Autre session",
        farm=farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 2),
    )

    page = phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(instructor.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/|/$"))

    page.goto("/practicals/cohorts/")
    page.get_by_role("link", name="Session de décembre").click()
    expect(page.get_by_role("heading", name="Session de décembre")).to_be_visible()
    grid = page.get_by_role("region", name=re.compile("Progression dans"))
    expect(grid.get_by_text("Maximilienne de La Tour-Dauvergne")).to_be_visible()
    expect(grid.get_by_text("50 %")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = grid.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert box[1] <= 375  # the table may be wider: it scrolls in its own box
    page.screenshot(path=str(_shots() / "cohort-grid-375.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter (Excel)").click()
    download = download_info.value
    assert download.suggested_filename == "cohorte-session-de-decembre.xlsx"
    rows = list(load_workbook(BytesIO(Path(download.path()).read_bytes())).active.values)
    names = {r[0] for r in rows[1:]}
    assert names == {"Maximilienne de La Tour-Dauvergne", "Hugo Blanc", "Zoé Fabre"}
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter (CSV)").click()
    assert "t1@example.org" in Path(download_info.value.path()).read_text(encoding="utf-8-sig")

    response = page.goto(f"/practicals/cohorts/{other.pk}/")
    assert response.status == 404


def _shots():
    path = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
