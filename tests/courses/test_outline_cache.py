"""The cached course outline: never stale after a change, never anyone's progress.

The outline (modules and steps, no bodies) is cached per version of the course and
shared by everyone; progress is read per request.
"""

from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, PageViewRestriction

from courses import services
from courses.models import CoursePage, LessonPage
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
    from courses import fragments

    lesson1, quiz, *_ = steps_of(course)
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    client.force_login(trainee)
    assert client.get(course.url).text.count("badge done") == 1
    outline = outline_get(course=course)
    cached = fragments._structures[(course.pk, outline.version, "fr")]
    structure, states = repr(cached), repr(fragments._states)
    assert "Quiz sécurité" in structure  # the course's structure, rendered once
    # No state in the structure, no step in the states, no trainee anywhere.
    assert "badge" not in structure and "step-done" not in structure
    assert "Quiz sécurité" not in states and "lock-reason" not in states
    assert "Camille" not in structure + states
    client.force_login(other_trainee)
    assert client.get(course.url).text.count("badge done") == 0  # not the first's status

    with django_capture_on_commit_callbacks(execute=True):
        quiz.title = "Quiz : les risques"
        quiz.save_revision().publish()
    html = client.get(course.url).text
    assert "Quiz : les risques" in html and ">Quiz sécurité<" not in html
    assert ">Quiz : les risques</a>" in _step_items(html)[1]


def _step_items(html: str) -> list[str]:
    """The course page's step items, in order."""
    return [part.split("</li>")[0] for part in html.split('<li class="step ')[1:]]


def test_the_outline_html_shows_a_renamed_and_a_new_step_at_once(
    client, course, trainee, django_capture_on_commit_callbacks
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    _enrol(client, trainee, course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    items = _step_items(client.get(course.url).text)  # cached now
    assert len(items) == 4 and items[0].startswith("step-done")

    with django_capture_on_commit_callbacks(execute=True):
        lesson2.title = "Le tranchage : les réglages"
        lesson2.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        new = lesson2.get_parent().add_child(instance=LessonPage(title="Le plateau", body=[]))
    items = _step_items(client.get(course.url).text)
    assert len(items) == 5
    assert f'<a href="{unquote(lesson2.url)}">Le tranchage : les réglages</a>' in items[2]
    assert f'<a href="{unquote(new.url)}">Le plateau</a>' in items[4]
    assert items[4].startswith("step-not_started") and "Pas commencé" in items[4]
    assert items[0].startswith("step-done") and "Terminé" in items[0]  # statuses still hers


def test_the_outline_html_locks_per_trainee_in_a_sequential_course(
    client, course, trainee, other_trainee, django_capture_on_commit_callbacks
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        course.sequential = True
        course.save_revision().publish()
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)

    client.force_login(other_trainee)
    theirs = _step_items(client.get(course.url).text)
    client.force_login(trainee)
    mine = _step_items(client.get(course.url).text)

    # Sam has done nothing: everything after the first lesson waits for it.
    assert f'<a href="{unquote(lesson1.url)}">' in theirs[0] and "step-locked" not in theirs[0]
    for item in theirs[1:]:
        assert item.startswith("step-not_started step-locked") and "<a " not in item
        assert "Terminez d’abord «\u00a0La sécurité à l’atelier\u00a0»." in item
    # Camille has done it: the quiz is open, the rest waits for the quiz.
    assert mine[0].startswith("step-done") and "step-locked" not in mine[1]
    assert f'<a href="{unquote(quiz.url)}">Quiz sécurité</a>' in mine[1]
    for item in mine[2:]:
        assert "step-locked" in item and "<a " not in item
        assert "Terminez d’abord «\u00a0Quiz sécurité\u00a0»." in item

    # Not enrolled: titles as text, no status, the locks' classes as before.
    client.logout()
    anonymous = _step_items(client.get(course.url).text)
    assert len(anonymous) == 4 and not any("<a " in i or "badge" in i for i in anonymous)


def _catalogue_url(course):
    return course.get_parent().url


def test_the_anonymous_catalogue_is_cached_and_touches_no_session(
    client, course, django_assert_max_num_queries
):
    url = _catalogue_url(course)
    assert course.title in client.get(url).text  # rendered, cached
    with django_assert_max_num_queries(2):  # the page by url_path, and its own fields
        response = client.get(url)
    assert course.title in response.text and course.summary in response.text
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_catalogue_is_never_stale_after_a_publish(
    client, course, django_capture_on_commit_callbacks
):
    url = _catalogue_url(course)
    assert "Initiation FDM" in client.get(url).text  # cached
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Initiation FDM, édition 2027"
        course.save_revision().publish()
    assert "Initiation FDM, édition 2027" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        other = course.get_parent().add_child(
            instance=CoursePage(title="Maintenance des imprimantes", summary="Entretien.")
        )
    assert "Maintenance des imprimantes" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        other.unpublish()
    assert "Maintenance des imprimantes" not in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert "Initiation FDM, édition 2027" not in client.get(url).text  # not public now


def test_a_draft_previewed_never_reaches_the_public_catalogue(rf, client, course):
    catalog = course.get_parent().specific
    url = catalog.url
    client.get(url)  # cached
    catalog.intro = "<p>Brouillon secret</p>"
    request = rf.get(url)
    request.user = AnonymousUser()
    request.is_preview = True
    preview = catalog.serve_preview(request, catalog.default_preview_mode)
    assert "Brouillon secret" in preview.render().content.decode()
    assert "Brouillon secret" not in client.get(url).text
