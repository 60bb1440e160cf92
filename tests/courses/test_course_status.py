"""The course page: each step's status, « Reprendre », sequential unlocking, prerequisites."""

import datetime as dt

from django.utils import timezone

from courses import services
from courses.activity import Verb, activity_record
from courses.exceptions import PrerequisitesMissing, StepLocked
from courses.models import Enrolment, LessonCompletion, QuizAttempt
from courses.quiz import services as quiz_services
from courses.selectors import course_outline
from practicals.models import PrintAttempt
from tests.fixtures.courses import course_build, steps_of
from tests.fixtures.progress import practical_passed, quiz_right_answers


def _statuses(course, user):
    outline = course_outline(course=course, user=user)
    return [row.status for module in outline.modules for row in module.rows]


def _fail(user, quiz):
    attempt = quiz_services.quiz_attempt_start(user=user, quiz=quiz)
    wrong = {
        q["id"]: [c["id"] for c in q["value"]["choices"] if not c["value"]["correct"]][:1]
        for q in attempt.questions
    }
    return quiz_services.quiz_attempt_submit(
        user=user, quiz=quiz, attempt_id=attempt.pk, answers=wrong
    )


def test_each_step_shows_not_started_in_progress_done_failed_and_passed(
    client, course, trainee, offline_printer, instructor
):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    assert _statuses(course, trainee) == ["not_started"] * 4

    client.force_login(trainee)
    client.get(lesson1.url)  # viewed: in progress
    assert _statuses(course, trainee)[0] == "in_progress"
    services.lesson_complete(user=trainee, lesson=lesson1)
    _fail(trainee, quiz)
    assert _statuses(course, trainee) == ["done", "failed", "not_started", "not_started"]

    attempt = quiz_services.quiz_attempt_start(user=trainee, quiz=quiz)
    assert _statuses(course, trainee)[1] == "in_progress"  # a new attempt under way
    quiz_services.quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
    )
    assert _statuses(course, trainee)[:2] == ["done", "passed"]

    html = client.get(course.url).text
    # Words, not only colours or symbols; the symbols are hidden from screen readers.
    assert "Terminé" in html and "Réussi" in html and "Pas commencé" in html
    assert '<span aria-hidden="true">✓</span>' in html
    assert "Statut\u00a0:" in html

    # A practical graded failed, then passed.
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    PrintAttempt.objects.filter(pk=attempt.pk).update(grade=PrintAttempt.Grade.FAILED)
    assert _statuses(course, trainee)[3] == "failed"
    PrintAttempt.objects.filter(pk=attempt.pk).update(grade=PrintAttempt.Grade.PASSED)
    assert _statuses(course, trainee) == ["done", "passed", "done", "passed"]
    outline = course_outline(course=course, user=trainee)
    assert outline.complete and outline.percent == 100 and outline.resume is None


def test_the_page_shows_the_completion_rules_and_progress(client, course, trainee):
    lesson1, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    client.force_login(trainee)
    html = client.get(course.url).text
    assert "Pour terminer ce cours" in html
    assert "chaque quiz réussi" in html and "chaque TP réussi" in html
    assert "25\u00a0%" in html and 'value="25"' in html


def test_resume_goes_where_the_trainee_left_off(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    assert course_outline(course=course, user=trainee).resume.pk == lesson1.pk  # « Commencer »

    now = timezone.now()
    activity_record(
        user=trainee, verb=Verb.VIEWED, course=course, page=lesson1, at=now - dt.timedelta(hours=3)
    )
    activity_record(
        user=trainee, verb=Verb.VIEWED, course=course, page=lesson2, at=now - dt.timedelta(hours=2)
    )
    # The last step looked at, even if an earlier one is still to do.
    assert course_outline(course=course, user=trainee).resume.pk == lesson2.pk

    LessonCompletion.objects.create(user=trainee, lesson=lesson2)
    # Finished: the next unfinished step after it, the practical.
    assert course_outline(course=course, user=trainee).resume.pk == practical.pk

    client.force_login(trainee)
    html = client.get(course.url).text
    assert "Reprendre\u00a0: TP première impression" in html
    assert f'href="{practical.url}" data-resume' in html


def test_a_sequential_course_locks_later_steps_on_the_server(client, course, trainee):
    lesson1, quiz, lesson2, practical = steps_of(course)
    course.sequential = True
    course.save_revision().publish()
    services.enrolment_create(user=trainee, course=course)
    client.force_login(trainee)

    html = client.get(course.url).text
    assert html.count("Verrouillée") == 3
    assert "Terminez d’abord «\u00a0La sécurité à l’atelier\u00a0»." in html
    locked_items = [part.split("</li>")[0] for part in html.split("step-locked")[1:]]
    assert len(locked_items) == 3 and not any("<a " in item for item in locked_items)

    response = client.get(quiz.url)
    assert response.status_code == 403
    assert "Cette étape est verrouillée." in response.text
    assert f'href="{lesson1.url}"' in response.text
    # Nor can it be done by posting directly.
    try:
        services.lesson_complete(user=trainee, lesson=lesson2)
    except StepLocked:
        pass
    else:
        raise AssertionError("a locked lesson was marked done")
    response = client.post(f"/courses/lessons/{lesson2.pk}/done/")
    assert response.status_code == 403
    assert not LessonCompletion.objects.filter(lesson=lesson2).exists()
    response = client.post(quiz.url, {"intent": "start"})
    assert response.status_code == 403
    assert not QuizAttempt.objects.filter(quiz=quiz).exists()

    services.lesson_complete(user=trainee, lesson=lesson1)
    assert client.get(quiz.url).status_code == 200
    assert client.get(lesson2.url).status_code == 403


def test_a_course_with_unfinished_prerequisites_cannot_be_enrolled_in(
    client, course, trainee, offline_printer, instructor
):
    advanced = course_build(title="Ferme avancée")
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    client.force_login(trainee)

    html = client.get(advanced.url).text
    assert "Terminez d’abord ces cours avant de vous inscrire à celui-ci\u00a0:" in html
    assert "Initiation FDM" in html
    assert "S’inscrire à cette formation" not in html

    response = client.post(f"/courses/{advanced.pk}/enrol/", follow=True)
    assert "Terminez d’abord ces cours\u00a0: «\u00a0Initiation FDM\u00a0»." in response.text
    assert not Enrolment.objects.filter(user=trainee, course=advanced).exists()
    try:
        services.enrolment_create(user=trainee, course=advanced)
    except PrerequisitesMissing:
        pass
    else:
        raise AssertionError("enrolled without the prerequisites")

    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    assert "S’inscrire à cette formation" in client.get(advanced.url).text
    client.post(f"/courses/{advanced.pk}/enrol/")
    assert Enrolment.objects.filter(user=trainee, course=advanced).exists()


def test_course_page_queries_do_not_grow_with_the_course(
    client, trainee, django_assert_max_num_queries
):
    from courses.models import LessonPage

    small, large = course_build(title="Petit"), course_build(title="Grand")
    first = {small.pk: steps_of(small)[0], large.pk: steps_of(large)[0]}
    module = steps_of(large)[2].get_parent()
    for i in range(60):
        module.add_child(instance=LessonPage(title=f"Leçon {i}", body=[]))
    counts = []
    client.force_login(trainee)
    for c in (small, large):
        services.enrolment_create(user=trainee, course=c)
        services.lesson_complete(user=trainee, lesson=first[c.pk])
        client.get(c.url)  # outline and fragments cached
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(c.url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_step_ids_go_to_the_database_as_one_parameter_and_select_the_right_rows(
    course, trainee, other_trainee
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.status import Ids

    lesson1, quiz, lesson2, practical = steps_of(course)
    for user in (trainee, other_trainee):
        services.enrolment_create(user=user, course=course)
    services.lesson_complete(user=trainee, lesson=lesson1)
    services.lesson_complete(user=other_trainee, lesson=lesson2)
    ids = Ids([lesson1.pk, lesson2.pk, quiz.pk, *range(10_000, 10_300)])
    assert len(ids) == 303 and lesson1.pk in ids and list(ids)[:2] == [lesson1.pk, lesson2.pk]
    with CaptureQueriesContext(connection) as ctx:
        found = set(
            LessonCompletion.objects.filter(user=trainee, lesson_id__in=ids).values_list(
                "lesson_id", flat=True
            )
        )
    assert found == {lesson1.pk}
    sql = ctx.captured_queries[0]["sql"]
    assert "10299" in sql and ", 10299" not in sql  # one array (or JSON) value, not 303
    assert LessonCompletion.objects.filter(lesson_id__in=Ids([])).count() == 0
