"""The course page reads a trainee in one statement (issue 13): the page itself from the
course's cached outline, the enrolment, the activity record and every kind of step's
rows in one `UNION ALL`; and whatever changes is seen on the very next request."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from courses import services
from courses.activity import Verb, activity_record
from courses.models import Enrolment, LessonPage
from courses.quiz import services as quiz_services
from courses.selectors import course_outline
from practicals.models import PrintAttempt
from tests.fixtures.courses import steps_of
from tests.fixtures.progress import practical_passed, quiz_right_answers


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.text, [q["sql"] for q in queries.captured_queries]


def _statuses(html) -> list[str]:
    """Each step's state class on the page, in order."""
    return [part.split('"')[0].split()[0] for part in html.split('<li class="step step-')[1:]]


def test_the_course_page_is_the_session_the_user_one_statement_and_the_certificate(
    client, course, trainee
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    client.force_login(trainee)
    client.get(course.url)  # caches filled (sites, index of courses, outline, fragments)
    html, sqls = _get(client, course.url)
    assert f"<h1>{course.title}</h1>" in html
    rest = [s for s in sqls if "django_session" not in s and '"accounts_user"' not in s]
    # No page query (the course comes from its outline), then one statement for the
    # trainee, then the certificate (before: 9 queries at size L).
    assert len(rest) == 2, rest
    statement, certificate = rest
    assert "wagtailcore_page" not in " ".join(rest)
    for table in (
        "courses_enrolment",
        "courses_activity",
        "courses_lessoncompletion",
        "courses_quizattempt",
        "practicals_printattempt",
    ):
        assert f'"{table}"' in statement, table
    assert statement.count("UNION ALL") == 4
    assert '"certificates_certificate"' in certificate
    assert "courses_coursecompetency" not in " ".join(sqls)  # in the outline


def test_every_change_shows_on_the_next_request(
    client, course, trainee, offline_printer, instructor
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert _statuses(_get(client, course.url)[0]) == ["not_started"] * 4

    services.lesson_complete(user=trainee, lesson=lesson1)
    assert _statuses(_get(client, course.url)[0])[0] == "done"

    attempt = quiz_services.quiz_attempt_start(user=trainee, quiz=quiz)
    assert _statuses(_get(client, course.url)[0])[1] == "in_progress"
    quiz_services.quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
    )
    assert _statuses(_get(client, course.url)[0])[:2] == ["done", "passed"]

    printed = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    html = _get(client, course.url)[0]
    assert _statuses(html) == ["done", "passed", "done", "passed"]
    PrintAttempt.objects.filter(pk=printed.pk).update(grade=PrintAttempt.Grade.FAILED)
    assert _statuses(_get(client, course.url)[0])[3] == "failed"


def test_another_trainees_rows_never_show(client, course, trainee, other_trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=other_trainee, lesson=lesson1)
    activity_record(user=other_trainee, verb=Verb.VIEWED, page=lesson2, course=course)
    client.force_login(trainee)
    assert _statuses(_get(client, course.url)[0]) == ["not_started"] * 4


def test_an_enrolment_written_around_the_service_still_asks_for_the_prerequisites(
    client, course, trainee
):
    """No checked enrolment in the statement: `enrolment_exists` decides, as before."""
    Enrolment.objects.create(user=trainee, course=course, prerequisites_checked=False)
    client.force_login(trainee)
    html, _sqls = _get(client, course.url)
    assert "Votre progression" in html  # no prerequisites: the enrolment opens the course
    assert course_outline(course=course, user=trainee).enrolled


def test_resume_when_the_step_viewed_last_was_unpublished_since(client, course, trainee):
    """The statement says which page was viewed last; when that page is no step any more,
    the times decide among the steps still there."""
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    start = timezone.now() - dt.timedelta(hours=3)
    for hours, step in enumerate((quiz, lesson1, lesson2)):  # lesson2 last
        at = start + dt.timedelta(hours=hours)
        activity_record(user=trainee, verb=Verb.VIEWED, page=step, course=course, at=at)
    assert course_outline(course=course, user=trainee).resume.pk == lesson2.pk
    Page.objects.get(pk=lesson2.pk).specific.unpublish()
    # Of the steps left, lesson1 was viewed last (before: its time; now the same).
    assert course_outline(course=course, user=trainee).resume.pk == lesson1.pk


def test_a_renamed_or_unpublished_course_is_seen_at_once(client, course, trainee):
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    client.get(course.url)  # routed from the outline from now on
    course.title = "Impression 3D : les bases, revues"
    course.summary = "Un nouveau résumé."
    course.save_revision().publish()
    html, _sqls = _get(client, course.url)
    assert "<h1>Impression 3D : les bases, revues</h1>" in html
    assert "Un nouveau résumé." in html
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_step_added_to_a_course_shows_at_once(client, course, trainee):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    client.get(course.url)
    lesson1.get_parent().add_child(instance=LessonPage(title="Leçon ajoutée", body=[]))
    html, _sqls = _get(client, course.url)
    assert "Leçon ajoutée" in html
    assert len(_statuses(html)) == 5
