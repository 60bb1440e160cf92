"""The dashboard reads everything about the trainee in one statement, and every change
shows on the next request: a lesson done, a quiz passed, a print graded, a session
booked or cancelled, a certificate issued, a competency mastered."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.services import certificate_issue
from courses import services
from courses.models import Enrolment
from lms.dashboard import dashboard_context
from practicals.models import PrintAttempt
from practicals.services import attempt_grade, booking_cancel
from tests.courses.quizzes import certify, competency_make, every_kind_questions, quiz_add
from tests.fixtures.courses import course_build, steps_of
from tests.fixtures.progress import (
    booking_tomorrow,
    practical_passed,
    print_completed,
    quiz_pass,
    quiz_right_answers,
    theory_complete,
)


def _page(client) -> str:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.text


def _section(html: str, name: str) -> str:
    """The HTML of one section of the dashboard (`id="<name>"`)."""
    found = re.search(rf'<section class="card" id="{name}".*?</section>', html, re.S)
    assert found, name
    return found.group(0)


def _progress(html: str, title: str) -> str:
    found = re.search(rf'{re.escape(title)}</a></h3>\s*<progress[^>]* value="(\d+)"', html)
    assert found, title
    return found.group(1)


def _print_ended(*, course, user, printer, booking=None, hours_ago=3) -> PrintAttempt:
    """A print that completed, in a session that began `hours_ago`, not graded yet."""
    *_, practical = steps_of(course)
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    return print_completed(
        user=user,
        printer=printer,
        practical=practical,
        start=start,
        booking=booking,
        filename="benchy.gcode",
        ended_at=start + dt.timedelta(minutes=50),
    )


def test_everything_about_the_trainee_is_one_statement(
    client, course, trainee, instructor, offline_printer, django_assert_num_queries
):
    other = course_build(title="Opérer une ferme")
    services.enrolment_create(user=trainee, course=other)
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    certificate_issue(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=steps_of(other)[0])
    dashboard_context(user=trainee)  # the outlines cached
    with django_assert_num_queries(1):
        context = dashboard_context(user=trainee)
    assert [o.course.pk for o in context["outlines"]] == [course.pk, other.pk]  # newest first
    assert len(context["grades"]) == 2 and len(context["certificates"]) == 1

    client.force_login(trainee)
    _page(client)
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    # The session (in the database under the test settings, in Redis in production; the
    # session's user is kept with it) and everything about the trainee.
    assert len(queries) == 2, [q["sql"][:80] for q in queries.captured_queries]


def test_each_change_shows_at_once(client, course, trainee, instructor, offline_printer):
    lesson1, quiz, lesson2, practical = steps_of(course)
    client.force_login(trainee)
    assert "Vous n’êtes inscrit·e à aucune formation" in _section(_page(client), "courses")

    services.enrolment_create(user=trainee, course=course)
    html = _page(client)
    assert _progress(html, course.title) == "0"
    assert "Commencer\u00a0: La sécurité à l’atelier" in html

    services.lesson_complete(user=trainee, lesson=lesson1)
    html = _page(client)
    assert _progress(html, course.title) == "25"
    assert "Commencer\u00a0: Quiz sécurité" in html or "Reprendre\u00a0: Quiz sécurité" in html
    assert "Aucune note pour l’instant." in _section(html, "grades")

    quiz_pass(user=trainee, quiz=quiz)
    html = _page(client)
    assert _progress(html, course.title) == "50"
    grades = _section(html, "grades")
    assert f'<a href="{quiz.url}">Quiz sécurité</a>' in grades and "100&nbsp;%" in grades

    services.lesson_complete(user=trainee, lesson=lesson2)
    booking = booking_tomorrow(course=course, user=trainee, printer=offline_printer)
    sessions = _section(_page(client), "sessions")
    assert f'href="/practicals/bookings/{booking.pk}/"' in sessions
    assert f"— Hors ligne ({practical.title})" in sessions

    booking_cancel(user=trainee, booking=booking)
    sessions = _section(_page(client), "sessions")
    assert "Aucune session d’impression réservée." in sessions
    assert f"/bookings/{booking.pk}/" not in sessions

    attempt = _print_ended(course=course, user=trainee, printer=offline_printer)
    html = _page(client)
    prints = _section(html, "prints")
    assert f"{practical.title} · benchy.gcode</a>" in prints
    assert "badge passed" not in prints and practical.title not in _section(html, "grades")

    attempt_grade(grader=instructor, attempt=attempt, passed=True, comment="Net.")
    html = _page(client)
    assert "badge passed" in _section(html, "prints")
    grades = _section(html, "grades")
    assert f'<a href="{practical.url}">{practical.title}</a>' in grades
    assert _progress(html, course.title) == "100"
    assert "Formation terminée" in html
    assert "Aucun certificat" in _section(html, "certificates")

    certificate = certificate_issue(user=trainee, course=course)
    certificates = _section(_page(client), "certificates")
    assert certificate.public_id in certificates and course.title in certificates
    assert f'href="{certificate.get_absolute_url()}"' in certificates


def test_sessions_past_or_cancelled_are_not_listed_and_the_next_come_first(
    client, course, trainee, offline_printer
):
    from practicals.models import Booking

    practical = theory_complete(course=course, user=trainee)
    now = timezone.now()

    def book(hours, status=Booking.Status.CONFIRMED):
        return Booking.objects.create(
            trainee=trainee,
            printer=offline_printer,
            practical=practical,
            starts_at=now + dt.timedelta(hours=hours),
            ends_at=now + dt.timedelta(hours=hours + 1),
            status=status,
        )

    past, later, sooner = book(-5), book(30), book(26)
    cancelled = book(40, Booking.Status.CANCELLED)
    client.force_login(trainee)
    sessions = _section(_page(client), "sessions")
    links = re.findall(r'href="/practicals/bookings/(\d+)/"', sessions)
    assert links == [str(sooner.pk), str(later.pk)]
    assert str(past.pk) not in links and str(cancelled.pk) not in links


def test_the_latest_prints_and_grades_newest_first(
    client, course, trainee, instructor, offline_printer
):
    theory_complete(course=course, user=trainee)
    attempts = [
        _print_ended(course=course, user=trainee, printer=offline_printer, hours_ago=hours)
        for hours in (3, 5, 7)  # sessions of their own: never two at once on a printer
    ]
    for attempt in attempts[:2]:
        attempt_grade(grader=instructor, attempt=attempt, passed=False, comment="Décollé.")
    client.force_login(trainee)
    html = _page(client)
    prints = re.findall(r'href="/practicals/attempts/(\d+)/"', _section(html, "prints"))
    assert prints == [str(a.pk) for a in reversed(attempts)]
    grades = _section(html, "grades")
    assert grades.count("badge failed") == 2
    # The quiz passed an instant before the prints were graded comes after them.
    assert grades.index("badge failed") < grades.index("Quiz sécurité")


def test_a_step_of_a_course_left_keeps_its_title_and_link(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    quiz_pass(user=trainee, quiz=quiz)
    Enrolment.objects.filter(user=trainee).delete()
    client.force_login(trainee)
    html = _page(client)
    assert course.title not in _section(html, "courses")
    assert f'<a href="{quiz.url}">Quiz sécurité</a>' in _section(html, "grades")


def test_a_course_entered_around_the_service_shows_once_its_prerequisites_are_complete(
    client, trainee
):
    basics = course_build(title="Les bases")
    advanced = course_build(title="Avancé")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    Enrolment.objects.create(user=trainee, course=advanced, prerequisites_checked=False)
    client.force_login(trainee)
    assert "Avancé" not in _section(_page(client), "courses")

    theory_complete(course=basics, user=trainee)
    *_, practical = steps_of(basics)
    from practicals.models import Booking

    start = timezone.now() - dt.timedelta(hours=2)
    booking = Booking.objects.create(
        trainee=trainee,
        printer=_printer(),
        practical=practical,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    attempt = _print_ended(course=basics, user=trainee, printer=booking.printer, booking=booking)
    PrintAttempt.objects.filter(pk=attempt.pk).update(
        grade=PrintAttempt.Grade.PASSED, graded_at=timezone.now()
    )
    courses = _section(_page(client), "courses")
    assert "Avancé" in courses and "Les bases" in courses


def _printer():
    from practicals.models import Farm, Printer
    from tests.fixtures.practicals import pla

    farm = Farm.objects.create(name="Ferme B", timezone="Europe/Paris")
    return Printer.objects.create(
        farm=farm,
        name="B1",
        octoprint_url="http://127.0.0.1:9",
        api_key="x" * 43,
        material=pla(),
    )


def test_competencies_are_counted_and_follow_the_quizzes(client, course, trainee):
    first_layer = competency_make("Calibrer la première couche", "premiere-couche")
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert "Les compétences de vos formations" in _section(_page(client), "competencies")

    certify(course=course, competency=first_layer, threshold=75)
    quiz = quiz_add(course=course, pass_mark=50, questions=every_kind_questions(tags=[first_layer]))
    assert "0 compétence maîtrisée sur 1, 0 en cours." in _section(_page(client), "competencies")

    from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit

    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
    )
    assert "1 compétence maîtrisée sur 1, 0 en cours." in _section(_page(client), "competencies")
