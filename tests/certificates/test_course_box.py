"""The course page's certificate box (issue 13): drawn from the statuses the page has
read, its « still to do » items kept per outline version and language; every change
(a step done, a certificate issued or revoked, a competency added, a step renamed) is
seen on the next request."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.eligibility import certificate_eligibility
from courses import services as course_services
from tests.courses.quizzes import certify, competency_make, every_kind_questions, quiz_add
from tests.fixtures.courses import steps_of
from tests.fixtures.progress import quiz_submit, theory_complete

STILL_TO_DO = "Reste à faire pour votre certificat"
ELIGIBLE = "Toutes les conditions sont remplies"


def _box(client, course) -> str:
    html = client.get(course.url).text
    return html.split('id="progress-title"')[1].split("</section>")[0]


def test_the_box_lists_exactly_what_eligibility_says_is_missing(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    course_services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    box = _box(client, course)
    assert STILL_TO_DO in box
    missing = certificate_eligibility(user=trainee, course=course).missing
    for item in missing:
        assert f'<li><a href="{item.url}">{item.label}</a></li>' in box
    assert box.count("<li>") == len(missing) == 4

    course_services.lesson_complete(user=trainee, lesson=lesson1)
    box = _box(client, course)  # seen at once
    assert f'href="{lesson1.url}"' not in box and box.count("<li>") == 3
    assert f"Leçon\u00a0: {lesson2.title}" in box


def test_eligible_issued_and_revoked(client, course, trainee, passed, instructor):
    client.force_login(trainee)
    box = _box(client, course)
    assert ELIGIBLE in box and STILL_TO_DO not in box

    certificate = services.certificate_issue(user=trainee, course=course)
    box = _box(client, course)
    assert '<span class="badge valid">Valide</span>' in box and ELIGIBLE not in box

    services.certificate_revoke(certificate=certificate, actor=instructor, reason="Fraude")
    box = _box(client, course)
    assert '<span class="badge revoked">Révoqué</span>' in box


def test_a_renamed_step_and_another_language_are_seen_at_once(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    course_services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    _box(client, course)  # items kept for this outline version, in French
    lesson2.title = "Leçon renommée"
    lesson2.save_revision().publish()
    box = _box(client, course)
    assert "Leçon\u00a0: Leçon renommée" in box
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    box = _box(client, course)
    assert "Lesson: Leçon renommée" in box and "Still to do" in box
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Leçon\u00a0: Leçon renommée" in _box(client, course)


def test_a_competency_certified_since_is_required_at_once(client, course, trainee, passed):
    """The outline holds the competencies a course certifies: certifying one is a new
    version of the course's outline, seen on the next request."""
    competency = competency_make("Calibrer la première couche", "premiere-couche")
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[competency]))
    # every step done, half the tagged right
    assert quiz_submit(user=trainee, quiz=quiz, wrong=2).passed
    client.force_login(trainee)
    assert ELIGIBLE in _box(client, course)
    certify(course=course, competency=competency, threshold=80)
    box = _box(client, course)
    assert [m.kind for m in certificate_eligibility(user=trainee, course=course).missing] == [
        "competency"
    ]
    assert "Compétence\u00a0: Calibrer la première couche" in box and ELIGIBLE not in box


def test_the_box_reads_no_status_twice(client, course, trainee):
    theory_complete(course=course, user=trainee)
    client.force_login(trainee)
    client.get(course.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(course.url)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert sum('"courses_lessoncompletion"' in sql for sql in sqls) == 1
    assert sum('"certificates_certificate"' in sql for sql in sqls) == 1
