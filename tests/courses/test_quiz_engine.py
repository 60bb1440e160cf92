"""The quiz engine's services: two-phase attempts, every kind of question, bad input."""

import datetime as dt
import random

import pytest
from django.db import transaction
from django.utils import timezone, translation

from courses import services
from courses.exceptions import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    AttemptNotFound,
    AttemptTooEarly,
    IncompleteAnswers,
    InvalidAnswer,
    NotEnrolled,
)
from courses.models import QuizAttempt, QuizPage
from courses.quiz.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.quizzes import every_kind_questions, quiz_add
from tests.fixtures.progress import quiz_right_answers


@pytest.fixture
def quiz(course, trainee):
    services.enrolment_create(user=trainee, course=course)
    return quiz_add(course=course)


def _wrong_answers(attempt):
    right = quiz_right_answers(attempt)
    wrong = {}
    for question in attempt.questions:
        if question["type"] == "numeric":
            wrong[question["id"]] = ["75"]
        elif question["type"] == "true_false":
            wrong[question["id"]] = ["true"]
        else:
            ids = question["order"]
            wrong[question["id"]] = [next(i for i in ids if i not in right[question["id"]])]
    return wrong


def test_start_records_the_questions_their_order_and_the_revision(quiz, trainee):
    revision = quiz.save_revision()
    revision.publish()
    quiz.refresh_from_db()
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    assert attempt.status == "started" and attempt.score is None
    assert attempt.revision_id == quiz.live_revision_id
    assert [q["id"] for q in attempt.questions] == [b.id for b in quiz.questions]
    first = quiz.questions[0]
    assert attempt.questions[0]["order"] == [c.id for c in first.value["choices"].bound_blocks]
    # Starting again (a double click) returns the same open attempt.
    assert quiz_attempt_start(user=trainee, quiz=quiz).pk == attempt.pk


def test_every_kind_of_question_is_scored_on_the_server(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    done = quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=_wrong_answers(attempt)
    )
    assert (done.status, done.score, done.passed) == ("submitted", 0, False)
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers[numeric] = ["63,5"]  # French decimal comma, within ± 5 °C
    done = quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert (done.score, done.passed) == (100, True)
    assert all(r["correct"] for r in done.results.values())


def test_multiple_choice_needs_every_right_answer_and_no_other(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    multiple = next(q for q in attempt.questions if q["type"] == "multiple_choice")
    answers[multiple["id"]] = answers[multiple["id"]][:1]  # ABS only, ASA forgotten
    done = quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert done.results[multiple["id"]]["correct"] is False
    assert done.score == 75 and done.passed


def test_numeric_outside_the_tolerance_is_wrong(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers[numeric] = ["65.5"]
    done = quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert done.results[numeric]["correct"] is False


def test_draw_of_n_questions_from_the_bank_with_shuffled_answers(course, trainee):
    services.enrolment_create(user=trainee, course=course)
    quiz = quiz_add(course=course, draw_count=2, shuffle_answers=True, shuffle_questions=True)
    bank = {b.id for b in quiz.questions}
    orders = set()
    for seed in range(8):
        attempt = quiz_attempt_start(user=trainee, quiz=quiz, rng=random.Random(seed))
        assert len(attempt.questions) == 2 and {q["id"] for q in attempt.questions} <= bank
        single = next((q for q in attempt.questions if q["type"] == "multiple_choice"), None)
        if single:
            orders.add(tuple(single["order"]))
        quiz_attempt_submit(
            user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
        )
    assert len(orders) > 1  # the answers came in more than one order


def test_choice_ids_stay_when_the_instructor_edits_the_quiz(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    before = [c.id for c in quiz.questions[0].value["choices"].bound_blocks]
    # The instructor rewords an answer and adds one, through a revision as the admin does.
    raw = quiz.questions.raw_data
    raw[0]["value"]["choices"][0]["value"]["text"] = "200 °C environ"
    raw[0]["value"]["choices"].append(
        {"type": "item", "value": {"text": "250 °C", "correct": False, "feedback": ""}}
    )
    quiz.questions = list(raw)
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    after = [c.id for c in quiz.questions[0].value["choices"].bound_blocks]
    assert after[:2] == before and len(after) == 3
    # The open attempt is scored on what it showed.
    done = quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
    )
    assert done.score == 100


def _attempt_unchanged(attempt):
    fresh = QuizAttempt.objects.get(pk=attempt.pk)
    return fresh.status == "started" and fresh.answers == {} and fresh.score is None


def test_answer_to_another_quizs_question_is_refused(quiz, course, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    other_quiz = QuizPage.objects.descendant_of(course).exclude(pk=quiz.pk).get()
    answers[other_quiz.questions[0].id] = [
        other_quiz.questions[0].value["choices"].bound_blocks[0].id
    ]
    with pytest.raises(InvalidAnswer):
        quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert _attempt_unchanged(attempt)


def test_forged_choice_id_is_refused(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    answers[attempt.questions[0]["id"]] = ["3f1d2c1e-0000-4000-8000-000000000000"]
    with pytest.raises(InvalidAnswer):
        quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert _attempt_unchanged(attempt)


def test_missing_answer_or_not_a_number_is_refused(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    answers = quiz_right_answers(attempt)
    numeric = next(q["id"] for q in attempt.questions if q["type"] == "numeric")
    answers[numeric] = ["soixante"]
    with pytest.raises(InvalidAnswer) as error:
        quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert "soixante" in str(error.value.message)
    answers.pop(numeric)
    with pytest.raises(IncompleteAnswers):
        quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=answers)
    assert _attempt_unchanged(attempt)


def test_replayed_attempt_is_refused(quiz, trainee):
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    wrong = _wrong_answers(attempt)
    quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=wrong)
    with pytest.raises(AttemptAlreadySubmitted):
        quiz_attempt_submit(
            user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=quiz_right_answers(attempt)
        )
    fresh = QuizAttempt.objects.get(pk=attempt.pk)
    assert (fresh.score, fresh.passed) == (0, False)


def test_someone_elses_attempt_or_another_quizs_is_refused(quiz, course, trainee, other_trainee):
    services.enrolment_create(user=other_trainee, course=course)
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    with pytest.raises(AttemptNotFound):
        quiz_attempt_submit(
            user=other_trainee,
            quiz=quiz,
            attempt_id=attempt.pk,
            answers=quiz_right_answers(attempt),
        )
    other_quiz = QuizPage.objects.descendant_of(course).exclude(pk=quiz.pk).get()
    with pytest.raises(InvalidAnswer):
        quiz_attempt_submit(user=trainee, quiz=other_quiz, attempt_id=attempt.pk, answers={})
    with pytest.raises(AttemptNotFound):
        quiz_attempt_submit(user=trainee, quiz=quiz, attempt_id="x", answers={})
    assert _attempt_unchanged(attempt)


def test_attempts_past_the_limit_are_refused(course, trainee):
    services.enrolment_create(user=trainee, course=course)
    quiz = quiz_add(course=course, max_attempts=2)
    for _ in range(2):
        attempt = quiz_attempt_start(user=trainee, quiz=quiz)
        quiz_attempt_submit(
            user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=_wrong_answers(attempt)
        )
    with pytest.raises(AttemptLimitReached):
        quiz_attempt_start(user=trainee, quiz=quiz)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 2


def test_waiting_time_between_attempts(course, trainee):
    services.enrolment_create(user=trainee, course=course)
    quiz = quiz_add(course=course, wait_minutes=30)
    attempt = quiz_attempt_start(user=trainee, quiz=quiz)
    quiz_attempt_submit(
        user=trainee, quiz=quiz, attempt_id=attempt.pk, answers=_wrong_answers(attempt)
    )
    with translation.override("fr"), pytest.raises(AttemptTooEarly) as error:
        quiz_attempt_start(user=trainee, quiz=quiz)
    assert "prochaine tentative" in str(error.value.message)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        submitted_at=timezone.now() - dt.timedelta(minutes=31)
    )
    assert quiz_attempt_start(user=trainee, quiz=quiz).is_open


def test_quiz_needs_enrolment(course, trainee):
    quiz = quiz_add(course=course)
    with pytest.raises(NotEnrolled):
        quiz_attempt_start(user=trainee, quiz=quiz)
    assert not QuizAttempt.objects.exists()


def test_passing_sends_step_completed_once(
    quiz, course, trainee, django_capture_on_commit_callbacks
):
    from courses.signals import step_completed

    received = []

    def listener(sender, user, course, **kwargs):
        received.append((user.pk, course.pk))

    step_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for _ in range(2):
                attempt = quiz_attempt_start(user=trainee, quiz=quiz)
                quiz_attempt_submit(
                    user=trainee,
                    quiz=quiz,
                    attempt_id=attempt.pk,
                    answers=quiz_right_answers(attempt),
                )
    finally:
        step_completed.disconnect(listener)
    assert received == [(trainee.pk, course.pk)]


def test_every_kind_questions_validate_as_blocks():
    from courses.blocks import QuizStreamBlock

    block = QuizStreamBlock()
    value = block.to_python([{"type": t, "value": v} for t, v in every_kind_questions()])
    block.clean(value)
