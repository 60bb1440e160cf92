"""In a real browser on a 375 px screen: a trainee follows lessons, leaves, comes back
through the dashboard, and « Reprendre » lands on the right step. The header's menu
button opens and closes the menu (and works without JavaScript), and no page scrolls
sideways.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.courses import PASSWORD, course_build, steps_of

pytestmark = pytest.mark.e2e
NARROW = {"width": 375, "height": 812}


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def _no_sideways_scroll(page):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375, page.url


def _phone(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=NARROW,
        locale="fr-FR",
        is_mobile=True,
        has_touch=True,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_trainee_resumes_where_they_left_off(browser, live_server, trainee):
    course = course_build(title="Initiation à l’impression 3D FDM")
    lesson1, quiz, lesson2, practical = steps_of(course)

    context, page = _phone(browser, live_server)
    _login(page, trainee.email)
    page.goto(course.url)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="S’inscrire à cette formation").click()
    page.get_by_role("link", name=re.compile("^Commencer")).click()
    expect(page.get_by_role("heading", name=lesson1.title)).to_be_visible()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Marquer comme terminé et continuer").click()
    expect(page.get_by_role("heading", name=quiz.title)).to_be_visible()
    quiz_url = page.url
    context.close()  # the trainee leaves

    context, page = _phone(browser, live_server)
    _login(page, trainee.email)
    page.goto("/dashboard/")
    _no_sideways_scroll(page)
    resume = page.get_by_role("link", name=f"Reprendre : {quiz.title}")
    expect(resume).to_be_visible()
    resume.click()
    expect(page.get_by_role("heading", name=quiz.title)).to_be_visible()
    assert page.url == quiz_url

    # The course page says where each step stands, in words.
    page.goto(course.url)
    first = page.locator("li.step").first
    expect(first).to_contain_text("Terminé")
    expect(page.locator("li.step").nth(1)).to_contain_text("En cours")
    expect(page.locator("li.step").nth(2)).to_contain_text("Pas commencé")
    _no_sideways_scroll(page)
    context.close()


def test_the_header_menu_button_on_a_phone(browser, live_server, trainee):
    course_build()
    context, page = _phone(browser, live_server)
    _login(page, trainee.email)
    page.goto("/")
    header = page.locator("header.site-header")
    box = header.bounding_box()
    assert box["height"] < 80  # one line
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    sessions = page.get_by_role("link", name="Mes sessions")
    expect(sessions).to_be_hidden()
    _no_sideways_scroll(page)

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    for name in (
        "Mes formations",
        "Mes sessions",
        "Mes compétences",
        "Mes certificats",
        "Mon compte",
    ):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    _no_sideways_scroll(page)
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(sessions).to_be_hidden()

    button.click()
    sessions.click()
    page.wait_for_url(re.compile(r"/dashboard/#sessions"))
    expect(page.get_by_role("heading", name="Mes sessions")).to_be_visible()
    _no_sideways_scroll(page)
    context.close()

    # Without JavaScript the same menu is a <details> that opens by itself.
    context, page = _phone(browser, live_server, java_script_enabled=False)
    page.goto("/")
    expect(page.get_by_role("link", name="Se connecter")).to_be_hidden()
    page.locator("summary", has_text="Menu").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    _no_sideways_scroll(page)
    context.close()
