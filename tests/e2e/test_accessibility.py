"""axe-core on every trainee, instructor and public page, at 375 px and on a desktop.

The demo content gives every page something to show: trainees at different stages, a
failed then passed quiz, a certificate, an upcoming booking, a print waiting for its grade.
Any serious or critical violation fails, listed page by page.
"""

import re

import pytest

from certificates.models import Certificate
from courses.models import QuizPage
from lms.demo.seed import demo_seed
from lms.demo.users import DEMO_PASSWORD
from lms.roles import roles_ensure
from practicals.models import Booking, PracticalPage, PrintAttempt
from tests.fixtures.browser import axe_violations

pytestmark = pytest.mark.e2e

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/|/$"))


def _pages(seeded) -> dict[str | None, list[str]]:
    """Who looks (an e-mail, None for a visitor) -> the pages they visit."""
    fdm, farm_course = seeded["courses"]
    certificate = Certificate.objects.get(holder__email="zoe@atelier.test")
    passed = PrintAttempt.objects.get(grade="passed")
    to_grade = PrintAttempt.objects.get(grade="")
    booked = Booking.objects.get(trainee__email="ines@atelier.test")
    quiz = QuizPage.objects.descendant_of(fdm).get(slug="quiz-securite-machine")
    defects_quiz = QuizPage.objects.descendant_of(fdm).get(slug="quiz-defauts")
    picture_quiz = QuizPage.objects.descendant_of(farm_course).get(slug="quiz-qualite")
    lesson = fdm.get_descendants().live().get(slug="premiere-couche")
    practical = PracticalPage.objects.descendant_of(fdm).get()
    verify = f"/v/{certificate.public_id}/"
    return {
        None: ["/", fdm.url, "/accounts/login/", "/accounts/signup/", "/verify/", verify],
        "zoe@atelier.test": [
            "/dashboard/",
            "/courses/competencies/",
            fdm.url,
            lesson.url,
            defects_quiz.url,
            picture_quiz.url,
            practical.url,
            f"/practicals/attempts/{passed.pk}/",
            f"/practicals/bookings/{passed.booking_id}/",
            verify,
            "/profile/",
            "/practicals/calendar/",
        ],
        "ines@atelier.test": [
            quiz.url,
            practical.url,
            f"/practicals/bookings/{booked.pk}/",
            farm_course.url,
        ],
        # A fresh trainee, whose quiz opens on its questions.
        "stagiaire@atelier.test": [f"{quiz.url}#start"],
        "formatrice@atelier.test": [
            "/dashboard/",
            "/practicals/grading/",
            f"/practicals/attempts/{to_grade.pk}/",
            f"/practicals/attempts/{to_grade.pk}/grade/",
            "/practicals/cohorts/",
            f"/practicals/cohorts/{seeded['cohort'].pk}/",
            "/certificates/manage/",
        ],
    }


def _visit(page, url) -> None:
    start = url.endswith("#start")
    response = page.goto(url.removesuffix("#start"))
    assert response.status < 400, f"{url} answered {response.status}"
    if start:
        page.get_by_role("button", name="Commencer le quiz").click()
        page.locator("form.quiz").wait_for()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_has_no_serious_axe_violation(browser, live_server, viewport):
    roles_ensure()
    seeded = demo_seed()
    roles_ensure()
    violations, wide = [], []
    for email, urls in _pages(seeded).items():
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORTS[viewport], locale="fr-FR"
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        if email:
            _login(page, email)
        for url in urls:
            _visit(page, url)
            violations += axe_violations(page)
            if page.evaluate("document.documentElement.scrollWidth") > VIEWPORTS[viewport]["width"]:
                wide.append(url)
        context.close()
    assert not violations, "axe-core found serious or critical violations:\n" + "\n".join(
        violations
    )
    assert not wide, f"pages that scroll sideways at {viewport}: {wide}"


def test_axe_reports_what_it_must(browser):
    """The check can fail: a picture without a text alternative, an unlabelled field and
    faint text are reported, each with the element at fault."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main>'
        '<img src="defaut.png"><input type="text" name="temperature">'
        '<p style="color:#ddd;background:#fff">Température de buse</p></main></body></html>'
    )
    found = "\n".join(axe_violations(page))
    context.close()
    assert "[image-alt, critical]" in found and "img" in found
    assert "[label, critical]" in found
    assert "[color-contrast, serious]" in found
