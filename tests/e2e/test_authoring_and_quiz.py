"""In a real browser: an instructor authors a lesson (several block types) and a quiz in the
Wagtail admin, previews and publishes them; a trainee on a 375 px screen reads the lesson,
fails the quiz, sees what was wrong, passes it, and finds the competency mastered.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.models import Competency, CourseCompetency, LessonPage, ModulePage, QuizPage
from lms.roles import roles_ensure
from tests.fixtures.courses import PASSWORD, course_build

pytestmark = pytest.mark.e2e
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def admin_login(page, email):
    # Wagtail's own login page sends to Atelier's (allauth, with its second factor).
    page.goto("/admin/login/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def add_block(page, label):
    page.get_by_role("button", name="Insérer un bloc").last.click()
    page.get_by_role("option", name=label, exact=True).click()


def type_rich_text(page, index, text):
    editor = page.locator(".public-DraftEditor-content").nth(index)
    editor.click()
    editor.type(text)


def publish(page):
    page.get_by_role("button", name="Plus d'actions").click()
    page.locator("button[name=action-publish]").click()
    # Wagtail says « … a été publiée » after an edit, « … créée et publiée » for a new page.
    expect(page.get_by_text(re.compile(r"(a été|créée et) publiée"))).to_be_visible()


def author_lesson(page, module_id):
    page.goto(f"/admin/pages/add/courses/lessonpage/{module_id}/")
    page.locator("input[name=title]").fill("Calibrer la première couche")
    add_block(page, "Titre")
    page.locator("input[name=body-0-value]").fill("Le test de la feuille de papier")
    add_block(page, "Paragraphe")
    type_rich_text(page, 0, "La première couche décide de la réussite de toute la pièce.")
    add_block(page, "Encadré")
    page.locator("select[name=body-2-value-kind]").select_option("safety")
    type_rich_text(page, 1, "La buse est à 200 °C : ne la touchez jamais.")
    add_block(page, "Extrait de G-code")
    page.locator("textarea[name=body-3-value-code]").fill("M104 S200 ; buse à 200 °C\nG28")
    page.locator("input[name=body-3-value-caption]").fill("Chauffe et mise à l’origine")
    add_block(page, "Procédure pas à pas")
    page.locator("input[name=body-4-value-title]").fill("Niveler au papier")
    type_rich_text(page, 2, "Glissez une feuille sous la buse et réglez la vis.")
    # Preview before publishing.
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_text("Le test de la feuille de papier")).to_be_visible(timeout=20_000)
    shot(page, "10-admin-lesson-preview")
    publish(page)


def author_quiz(page, module_id):
    page.goto(f"/admin/pages/add/courses/quizpage/{module_id}/")
    page.locator("input[name=title]").fill("Quiz première couche")
    page.locator("input[name=pass_mark]").fill("100")
    page.locator("input[name=shuffle_answers]").uncheck()
    add_block(page, "Question à choix unique")
    page.locator("input[name=questions-0-value-question]").fill("Distance buse–plateau ?")
    page.locator("input[name=questions-0-value-choices-0-value-text]").fill(
        "L’épaisseur d’une feuille"
    )
    page.locator("input[name=questions-0-value-choices-0-value-correct]").check()
    page.locator("button[title='Ajouter']").last.click()
    page.locator("input[name=questions-0-value-choices-1-value-text]").fill("Un centimètre")
    page.locator("input[name=questions-0-value-choices-1-value-feedback]").fill(
        "Trop loin : le filament ne collerait pas."
    )
    page.get_by_label("Calibrer la première couche").first.check()
    add_block(page, "Vrai ou faux")
    page.locator("input[name=questions-1-value-question]").fill("On nivelle le plateau à froid.")
    page.locator("input[name=questions-1-value-feedback_true]").fill(
        "Non : le plateau se dilate en chauffant, nivelez-le chaud."
    )
    page.get_by_label("Calibrer la première couche").last.check()
    shot(page, "11-admin-quiz")
    publish(page)


def test_instructor_authors_and_trainee_fails_then_passes(
    browser, live_server, instructor, trainee, phone
):
    course = course_build(title="Initiation à l’impression 3D FDM")
    roles_ensure()  # page and collection rights on this (flushed) database's tree
    competency = Competency.objects.create(name="Calibrer la première couche", code="couche")
    CourseCompetency.objects.create(course=course, competency=competency, quiz_threshold=80)
    module = ModulePage.objects.child_of(course).last()

    admin = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = admin.new_page()
    page.set_default_timeout(15_000)
    admin_login(page, instructor.email)
    author_lesson(page, module.pk)
    author_quiz(page, module.pk)
    admin.close()
    lesson = LessonPage.objects.get(title="Calibrer la première couche")
    assert [b.block_type for b in lesson.body] == [
        "heading",
        "paragraph",
        "callout",
        "gcode",
        "procedure",
    ]
    quiz = QuizPage.objects.get(title="Quiz première couche")
    assert [b.block_type for b in quiz.questions] == ["single_choice", "true_false"]

    # The trainee, on a 375 px phone.
    page = phone
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(trainee.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.goto(course.url)
    page.get_by_role("button", name="S’inscrire à cette formation").click()
    page.goto(lesson.url)
    expect(page.get_by_role("heading", name="Le test de la feuille de papier")).to_be_visible()
    expect(page.get_by_text("M104 S200 ; buse à 200 °C")).to_be_visible()
    expect(page.get_by_text("ne la touchez jamais")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "12-lesson-375")

    page.goto(quiz.url)
    page.get_by_role("button", name="Commencer le quiz").click()
    page.get_by_label("Un centimètre").check()
    page.get_by_label("Vrai").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("non réussi")).to_be_visible()
    expect(page.get_by_text("Trop loin : le filament ne collerait pas.")).to_be_visible()
    expect(page.get_by_text("nivelez-le chaud")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "13-quiz-failed-375")

    page.get_by_role("button", name="Recommencer").click()
    page.get_by_label("L’épaisseur d’une feuille").check()
    page.get_by_label("Faux").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text(re.compile(r"Votre score\s*:\s*100\s*%"))).to_be_visible()

    page.get_by_role("button", name="Menu").click()  # the header's links are in its menu
    page.get_by_role("link", name="Mes compétences").click()
    item = page.locator(".competency", has_text="Calibrer la première couche")
    expect(item.get_by_text("maîtrisée")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "14-competencies-375")


def test_stl_viewer_draws_the_model_from_atelier_alone(live_server, trainee, phone):
    from courses.services import enrolment_create
    from tests.courses.test_authoring import every_block_body

    course = course_build(title="Initiation à l’impression 3D FDM")
    module = ModulePage.objects.child_of(course).first()
    lesson = module.add_child(instance=LessonPage(title="Le cube", body=every_block_body()))
    enrolment_create(user=trainee, course=course)
    page = phone
    page.set_viewport_size({"width": 375, "height": 812})
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(trainee.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.goto(lesson.url)
    viewer = page.locator("figure.stl-viewer")
    expect(viewer).to_have_class(re.compile("stl-loaded"), timeout=20_000)
    expect(viewer.locator("canvas")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert outside == []  # no CDN, nothing from anywhere else
    shot(page, "15-stl-viewer-375")
