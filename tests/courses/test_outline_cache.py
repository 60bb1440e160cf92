"""The cached course outline: never stale after a change, never anyone's progress.

The outline (modules and steps, no bodies) is cached per version of the course and
shared by everyone; progress is read per request.
"""

from wagtail.models import Page

from courses import services
from courses.models import LessonPage
from courses.outline import outline_get
from tests.fixtures.courses import steps_of


def _enrol(client, user, course):
    client.force_login(user)
    client.post(f"/courses/{course.pk}/enrol/")


def test_a_published_change_shows_at_once(
    client, course, trainee, django_capture_on_commit_callbacks
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    _enrol(client, trainee, course)
    assert "La sécurité à l’atelier" in client.get(course.url).text  # outline now cached

    with django_capture_on_commit_callbacks(execute=True):
        lesson1.title = "Sécurité : les trois risques"
        lesson1.save_revision().publish()
    assert "Sécurité : les trois risques" in client.get(course.url).text
    assert "Sécurité : les trois risques" in client.get(quiz.url).text  # « Previous »

    with django_capture_on_commit_callbacks(execute=True):
        module = lesson2.get_parent()
        module.add_child(instance=LessonPage(title="Le plateau", body=[]))
    assert "Le plateau" in client.get(course.url).text

    with django_capture_on_commit_callbacks(execute=True):
        lesson2.unpublish()
    html = client.get(course.url).text
    assert "Le tranchage" not in html
    assert "Le plateau" in html


def test_a_moved_or_deleted_step_leaves_the_outline(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    _enrol(client, trainee, course)
    client.get(course.url)
    lesson2.move(lesson1.get_parent(), pos="last-child")
    titles = [s.title for s in outline_get(course=course).steps]
    assert titles == [
        "La sécurité à l’atelier",
        "Quiz sécurité",
        "Le tranchage",
        "TP première impression",
    ]
    Page.objects.get(pk=quiz.pk).delete()
    assert "Quiz sécurité" not in client.get(course.url).text


def test_no_trainee_sees_another_trainees_progress(client, course, trainee, other_trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)

    client.force_login(trainee)
    mine = client.get(course.url).text
    client.force_login(other_trainee)
    theirs = client.get(course.url).text
    dashboard = client.get("/dashboard/").text

    assert mine.count("badge done") == 1
    assert theirs.count("badge done") == 0
    assert "0 % " in dashboard or "0 %" in dashboard
    assert f'href="{lesson1.url}"' in dashboard  # their next step is still the first lesson
    # What is cached holds the course's structure only: no progress in it.
    outline = outline_get(course=course)
    assert outline.steps and not any(hasattr(step, "done") for step in outline.steps)


def test_the_outline_does_not_load_bodies(course, django_assert_num_queries):
    outline_get(course=course)
    with django_assert_num_queries(0):
        outline = outline_get(course=course)
    assert all(type(step) is Page for step in outline.steps)
    assert [m.module.title for m in outline.modules] == ["Sécurité", "Pratique"]


def test_a_lesson_body_is_rendered_once_and_never_stale(client, course, trainee):
    lesson1, *_ = steps_of(course)
    _enrol(client, trainee, course)
    assert "La buse chauffe à 200 °C." in client.get(lesson1.url).text  # rendered, cached
    lesson1.body = [("paragraph", "<p>La buse chauffe à 215 °C pour le PETG.</p>")]
    lesson1.save_revision().publish()
    html = client.get(lesson1.url).text
    assert "215 °C pour le PETG" in html
    assert "La buse chauffe à 200 °C." not in html


def test_step_fragments_are_cached_per_version_and_hold_nothing_personal(
    client, course, trainee, other_trainee, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from courses.fragments import step_fragments

    lesson1, quiz, *_ = steps_of(course)
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    client.force_login(trainee)
    assert client.get(course.url).text.count("badge done") == 1
    outline = outline_get(course=course)
    cached = cache.get(f"course-step-html:{course.pk}:{outline.version}:fr")
    assert cached is not None  # stored by the page, shared by everyone
    flat = repr(cached)
    assert "badge" not in flat and "Terminé" not in flat and "Camille" not in flat
    client.force_login(other_trainee)
    assert client.get(course.url).text.count("badge done") == 0  # not the first's status

    with django_capture_on_commit_callbacks(execute=True):
        quiz.title = "Quiz : les risques"
        quiz.save_revision().publish()
    html = client.get(course.url).text
    assert "Quiz : les risques" in html and ">Quiz sécurité<" not in html
    assert step_fragments(outline=outline_get(course=course))[quiz.pk]["text"] == (
        "<span>Quiz : les risques</span>"
    )
