"""The Wagtail admin works under the Content Security Policy (in a real browser).

An instructor logs in, opens the admin and edits a lesson: Wagtail's scripts must run
(the editor saves a draft) with no console message about the policy (the browser
fixture fails the test on any).
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.fixtures.courses import PASSWORD, course_build, steps_of

pytestmark = pytest.mark.e2e


def test_instructor_edits_a_lesson_in_the_admin_under_the_policy(browser, live_server, instructor):
    course = course_build(title="Initiation à l’impression 3D FDM")
    lesson = steps_of(course)[0]
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(instructor.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/dashboard/")

    page.goto("/admin/")
    # The sidebar menu is drawn by Wagtail's scripts: it exists only if they ran.
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    page.goto(f"/admin/pages/{lesson.get_parent().pk}/")
    expect(page.get_by_role("link", name=lesson.title).first).to_be_visible()

    page.goto(f"/admin/pages/{lesson.pk}/edit/")
    title = page.locator("#id_title")
    title.fill("Les bases, revues")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("Les bases, revues")
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.get_latest_revision().as_object().title == "Les bases, revues"
    context.close()
