"""Writes of the quiz engine: start an attempt (draw its questions), submit it (score it).

Both check enrolment on the server. Submitting reads only the attempt's own snapshot,
refuses anything that does not belong to it, and changes nothing when it refuses.
"""

import json
import random
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..activity import Verb, activity_record, step_activity_record
from ..exceptions import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    AttemptNotFound,
    AttemptTooEarly,
    InvalidAnswer,
    QuizUnavailable,
)
from ..models import QuizAttempt, QuizPage
from ..services import _require_enrolment, _step_completed_on_commit
from . import scoring


def _bank(quiz: QuizPage) -> list[dict]:
    """The quiz's questions as stored JSON (decimals as strings), in the bank's order."""
    raw = quiz.questions.get_prep_value()
    return json.loads(json.dumps(raw, cls=DjangoJSONEncoder))


def quiz_next_start(*, user, quiz: QuizPage):
    """When `user` may start a new attempt (None: now), or AttemptLimitReached."""
    submitted = QuizAttempt.objects.filter(
        user=user, quiz=quiz, status=QuizAttempt.Status.SUBMITTED
    )
    if quiz.max_attempts and submitted.count() >= quiz.max_attempts:
        raise AttemptLimitReached()
    last = submitted.order_by("-submitted_at").first()
    if last is not None and quiz.wait_minutes:
        ready_at = last.submitted_at + timedelta(minutes=quiz.wait_minutes)
        if ready_at > timezone.now():
            return ready_at
    return None


@transaction.atomic
def quiz_attempt_start(*, user, quiz: QuizPage, rng: random.Random | None = None) -> QuizAttempt:
    """Open an attempt with its drawn questions, or return the one already open."""
    _require_enrolment(user=user, step=quiz)
    if not quiz.live:
        raise AttemptNotFound()
    open_attempt = QuizAttempt.objects.filter(
        user=user, quiz=quiz, status=QuizAttempt.Status.STARTED
    ).first()
    if open_attempt is not None:
        return open_attempt
    ready_at = quiz_next_start(user=user, quiz=quiz)
    if ready_at is not None:
        raise AttemptTooEarly(
            _("Your next attempt opens on %(when)s.")
            % {"when": date_format(localtime(ready_at), "j N H:i")}
        )
    bank = _bank(quiz)
    if not bank:
        raise QuizUnavailable()
    rng = rng or random.SystemRandom()
    positions = list(range(len(bank)))
    if quiz.draw_count and quiz.draw_count < len(bank):
        positions = sorted(rng.sample(positions, quiz.draw_count))
    if quiz.shuffle_questions:
        rng.shuffle(positions)
    questions = [
        scoring.snapshot_question(bank[i], shuffle=quiz.shuffle_answers, rng=rng) for i in positions
    ]
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user, quiz=quiz, revision=quiz.live_revision, questions=questions
            )
            step_activity_record(user=user, verb=Verb.QUIZ_STARTED, step=quiz)
            return attempt
    except IntegrityError:  # the same trainee started twice at once
        return QuizAttempt.objects.get(user=user, quiz=quiz, status=QuizAttempt.Status.STARTED)


@transaction.atomic
def quiz_attempt_submit(
    *, user, quiz: QuizPage, attempt_id, answers: dict[str, list[str]]
) -> QuizAttempt:
    """Score the attempt `attempt_id` of `user` at `quiz`, once."""
    course = _require_enrolment(user=user, step=quiz)
    try:
        attempt_pk = int(attempt_id)
    except (TypeError, ValueError):
        raise AttemptNotFound() from None
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_pk, user=user).first()
    if attempt is None:
        raise AttemptNotFound()
    if attempt.quiz_id != quiz.pk:
        raise InvalidAnswer()
    if not attempt.is_open:
        raise AttemptAlreadySubmitted()
    cleaned = scoring.answers_clean(attempt.questions, answers)
    score, results = scoring.attempt_score(attempt.questions, cleaned)
    already_passed = QuizAttempt.objects.filter(user=user, quiz=quiz, passed=True).exists()
    now = timezone.now()
    passed = score >= quiz.pass_mark
    # Only an open attempt is ever scored, even by two submissions racing.
    updated = QuizAttempt.objects.filter(pk=attempt.pk, status=QuizAttempt.Status.STARTED).update(
        status=QuizAttempt.Status.SUBMITTED,
        answers=cleaned,
        results=results,
        score=score,
        passed=passed,
        submitted_at=now,
    )
    if not updated:
        raise AttemptAlreadySubmitted()
    attempt.refresh_from_db()
    activity_record(user=user, verb=Verb.QUIZ_SUBMITTED, course=course, page=quiz, at=now)
    if passed and not already_passed:
        _step_completed_on_commit(user=user, course=course)
    return attempt
