"""Enrolling, lessons done, quizzes scored on the server, progress."""

import pytest
from django.db import transaction

from courses import services
from courses.exceptions import AtelierError, InvalidAnswer, NotEnrolled
from courses.models import LessonCompletion, QuizAttempt
from courses.selectors import course_outline
from tests.fixtures.courses import steps_of


def _answers(quiz, picks):
    return {block.id: str(pick) for block, pick in zip(quiz.questions, picks, strict=True)}


def test_lesson_needs_enrolment(course, trainee):
    lesson, *_ = steps_of(course)
    with pytest.raises(NotEnrolled):
        services.lesson_complete(user=trainee, lesson=lesson)
    assert not LessonCompletion.objects.exists()


def test_progress_counts_every_kind_of_step(course, trainee):
    lesson, quiz, lesson2, practical = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    services.lesson_complete(user=trainee, lesson=lesson)
    services.lesson_complete(user=trainee, lesson=lesson)  # twice is still once
    outline = course_outline(course=course, user=trainee)
    assert (outline.done_count, outline.step_count, outline.percent) == (1, 4, 25)
    assert outline.next_step.pk == quiz.pk
    assert [s.pk for s in outline.missing] == [quiz.pk, lesson2.pk, practical.pk]


def test_quiz_scored_on_server_and_every_attempt_kept(course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    failed = services.quiz_submit(user=trainee, quiz=quiz, answers=_answers(quiz, [0, 1]))
    assert (failed.score, failed.passed) == (0, False)
    passed = services.quiz_submit(user=trainee, quiz=quiz, answers=_answers(quiz, [1, 0]))
    assert (passed.score, passed.passed) == (100, True)
    assert QuizAttempt.objects.filter(user=trainee, quiz=quiz).count() == 2


def test_answer_to_another_quizs_question_is_refused(course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    answers = _answers(quiz, [1, 0])
    answers["3f1d2c1e-0000-4000-8000-000000000000"] = "0"
    with pytest.raises(InvalidAnswer) as error:
        services.quiz_submit(user=trainee, quiz=quiz, answers=answers)
    assert "n’appartient pas" in str(error.value.message) or "does not belong" in str(
        error.value.message
    )
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("bad", ["7", "-1", "abc"])
def test_answer_outside_the_choices_is_refused(course, trainee, bad):
    _lesson, quiz, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    answers = _answers(quiz, [1, 0])
    answers[next(iter(answers))] = bad
    with pytest.raises(InvalidAnswer):
        services.quiz_submit(user=trainee, quiz=quiz, answers=answers)
    assert not QuizAttempt.objects.exists()


def test_unanswered_question_is_refused(course, trainee):
    _lesson, quiz, *_ = steps_of(course)
    services.enrolment_create(user=trainee, course=course)
    answers = _answers(quiz, [1, 0])
    answers.pop(next(iter(answers)))
    with pytest.raises(AtelierError):
        services.quiz_submit(user=trainee, quiz=quiz, answers=answers)


def test_passing_sends_step_completed_once(course, trainee, django_capture_on_commit_callbacks):
    from courses.signals import step_completed

    received = []

    def listener(sender, user, course, **kwargs):
        received.append((user.pk, course.pk))

    step_completed.connect(listener)
    try:
        lesson, quiz, *_ = steps_of(course)
        services.enrolment_create(user=trainee, course=course)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            services.lesson_complete(user=trainee, lesson=lesson)
            services.lesson_complete(user=trainee, lesson=lesson)
            services.quiz_submit(user=trainee, quiz=quiz, answers=_answers(quiz, [1, 0]))
            services.quiz_submit(user=trainee, quiz=quiz, answers=_answers(quiz, [1, 0]))
    finally:
        step_completed.disconnect(listener)
    assert received == [(trainee.pk, course.pk), (trainee.pk, course.pk)]
