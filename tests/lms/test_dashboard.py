"""The trainee's dashboard: each course with one link to its next step, sessions, recent
grades, competencies and certificates, in the same number of queries however much there is."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.activity import Verb, activity_record
from courses.models import LessonPage
from tests.fixtures.courses import course_build, steps_of
from tests.fixtures.progress import practical_passed, quiz_pass


def test_the_dashboard_shows_next_steps_grades_and_sections(
    client, course, trainee, offline_printer, instructor
):
    other = course_build(title="Opérer une ferme")
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=other)
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    activity_record(user=trainee, verb=Verb.VIEWED, course=course, page=practical)
    client.force_login(trainee)
    html = client.get("/dashboard/").text

    assert "Mes formations" in html and "Mes sessions" in html and "Notes récentes" in html
    assert "Mes compétences" in html and "Mes certificats" in html
    assert "Formation terminée" in html  # the first course: every step complete
    first_of_other = steps_of(other)[0]
    assert "Commencer\u00a0: La sécurité à l’atelier" in html
    assert f'href="{first_of_other.url}" data-resume' in html
    assert html.count("data-resume") == 1  # one link per course still to do
    # Recent grades: the quiz passed (with its score) and the practical's grade.
    assert "Quiz sécurité" in html and "100&nbsp;%" in html
    assert attempt.practical.title in html
    assert html.count("badge passed") >= 2
    # My prints: the practical, the file, its state and grade, linked to the attempt.
    link = f'href="/practicals/attempts/{attempt.pk}/">'
    assert f"{link}{attempt.practical.title} · {attempt.filename}</a>" in html


def test_resume_on_the_dashboard_follows_the_activity_record(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    quiz_pass(user=trainee, quiz=quiz)
    activity_record(user=trainee, verb=Verb.VIEWED, course=course, page=lesson2)
    client.force_login(trainee)
    html = client.get("/dashboard/").text
    assert "Reprendre\u00a0: Le tranchage" in html
    assert f'href="{lesson2.url}" data-resume' in html


def _queries(client, url="/dashboard/"):
    client.get(url)  # outlines cached
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_courses_or_steps(client, trainee, other_trainee):
    one = course_build(title="Un")
    services.enrolment_create(user=trainee, course=one)
    services.lesson_complete(user=trainee, lesson=steps_of(one)[0])
    client.force_login(trainee)
    few = _queries(client)

    courses = [course_build(title=f"Cours {i}") for i in range(4)]
    for c in courses:
        first = steps_of(c)[0]
        module = first.get_parent()
        for i in range(20):
            module.add_child(instance=LessonPage(title=f"Leçon {i}", body=[]))
        services.enrolment_create(user=other_trainee, course=c)
        services.lesson_complete(user=other_trainee, lesson=first)
        quiz_pass(user=other_trainee, quiz=steps_of_any(c, "quiz"))
    services.enrolment_create(user=other_trainee, course=one)
    client.force_login(other_trainee)
    many = _queries(client)
    assert many == few


def steps_of_any(course, kind):
    from courses.selectors import course_steps

    return next(s for s in course_steps(course=course) if type(s).__name__.lower().startswith(kind))
