"""The lesson page's shared parts (its outline-keyed fragment, base.html's `{% once %}`
parts, the « viewed » throttle in the cache): never another trainee's state, never a
stale lesson after a publish, and the same few queries at any course size."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from courses import services
from courses.activity import Verb
from courses.models import Activity
from tests.fixtures.courses import steps_of


def _csrf(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_a_trainee_never_sees_another_trainees_state_on_a_lesson(
    client, course, trainee, other_trainee, instructor
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    for user in (trainee, other_trainee, instructor):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson2)

    client.force_login(trainee)
    mine = client.get(lesson2.url).text
    client.force_login(other_trainee)
    theirs = client.get(lesson2.url).text
    client.force_login(instructor)
    staff = client.get(lesson2.url)

    assert "badge done" in mine and "badge done" not in theirs
    assert "Mark as done and continue" in theirs or "Marquer" in theirs
    # Each page's forms carry that visitor's own token, never one rendered for another.
    assert _csrf(mine) and _csrf(theirs) and not (_csrf(mine) & _csrf(theirs))
    # The menu's role links follow the visitor, whoever was served first.
    grading = reverse("practicals:grading_queue")
    assert grading not in mine and grading not in theirs
    assert staff.status_code == 200
    assert grading in staff.text and "badge done" not in staff.text
    client.force_login(trainee)
    assert grading not in client.get(lesson2.url).text


def test_a_lesson_is_never_stale_after_a_publish(
    client, course, trainee, django_capture_on_commit_callbacks
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    html = client.get(lesson2.url).text  # fragment rendered and kept (shared cache, process)
    assert "<h1>Le tranchage</h1>" in html and "Quiz sécurité" in html

    with django_capture_on_commit_callbacks(execute=True):
        lesson2.title = "Le tranchage, pas à pas"
        lesson2.body = [("paragraph", "<p>Hauteur de couche : 0,2 mm.</p>")]
        lesson2.save_revision().publish()
    html = client.get(lesson2.url).text
    assert "<h1>Le tranchage, pas à pas</h1>" in html
    assert "Hauteur de couche" in html and "G-code." not in html

    with django_capture_on_commit_callbacks(execute=True):  # the previous step, elsewhere
        quiz.title = "Quiz de sécurité"
        quiz.save_revision().publish()
    assert "Quiz de sécurité" in client.get(lesson2.url).text

    with django_capture_on_commit_callbacks(execute=True):  # the course's own title
        course.title = "Initiation à l’impression FDM"
        course.save_revision().publish()
    assert "Initiation à l’impression FDM" in client.get(lesson2.url).text

    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=lesson2.pk).specific.unpublish()
    assert client.get(lesson2.url).status_code == 404


def test_a_lesson_in_a_renamed_course_answers_at_its_new_url_only(client, course, trainee):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    old = lesson1.url
    assert client.get(old).status_code == 200  # index of courses and outline cached
    course.slug = "initiation-renommee"
    course.save_revision().publish()
    assert client.get(old).status_code == 404
    lesson1.refresh_from_db()
    assert lesson1.url.startswith("/initiation-renommee/")
    assert client.get(lesson1.url).status_code == 200


def test_a_draft_preview_never_reaches_the_lesson_page(client, course, trainee, rf):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    assert "La buse chauffe à 200 °C." in client.get(lesson1.url).text
    draft = Page.objects.get(pk=lesson1.pk).specific
    draft.body = [("paragraph", "<p>Brouillon : 260 °C.</p>")]
    draft.save_revision()  # a draft, not published
    request = rf.get(lesson1.url)
    request.user = trainee
    request.session = client.session
    preview = draft.make_preview_request(request)  # the draft, rendered in a preview
    if hasattr(preview, "render"):
        preview.render()
    assert "Brouillon : 260 °C." in preview.content.decode()
    html = client.get(lesson1.url).text
    assert "La buse chauffe à 200 °C." in html and "Brouillon" not in html


def test_a_viewed_lesson_is_recorded_once_even_when_the_cache_was_flushed(client, course, trainee):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    client.get(lesson1.url)
    client.get(lesson1.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(lesson1.url)
    assert not any("courses_activity" in q["sql"] for q in queries.captured_queries)
    cache.clear()  # the throttle's key is gone: the database still knows
    client.force_login(trainee)
    client.get(lesson1.url)
    assert Activity.objects.filter(user=trainee, page=lesson1.pk, verb=Verb.VIEWED).count() == 1
