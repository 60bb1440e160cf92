"""Enrolling, lessons done, progress (quizzes: test_quiz_engine)."""

import pytest

from courses import services
from courses.exceptions import NotEnrolled
from courses.models import LessonCompletion
from courses.selectors import course_outline
from tests.fixtures.courses import steps_of


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
