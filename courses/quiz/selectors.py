"""Reads of the quiz engine: what the quiz page shows a trainee."""

from dataclasses import dataclass, field
from datetime import datetime

from ..exceptions import AttemptLimitReached
from ..models import QuizAttempt, QuizPage
from . import scoring


@dataclass
class ReviewItem:
    number: int
    text: str
    correct: bool
    given: list[str]
    feedback: list[str] = field(default_factory=list)
    right: list[str] = field(default_factory=list)
    image_id: int | None = None
    image: object = None
    alt_text: str = ""


@dataclass
class QuizState:
    open_attempt: QuizAttempt | None = None
    questions: list[dict] = field(default_factory=list)
    last: QuizAttempt | None = None
    review: list[ReviewItem] = field(default_factory=list)
    show_which_wrong: bool = False
    attempts_used: int = 0
    attempts_left: int | None = None
    next_start_at: datetime | None = None
    limit_reached: bool = False
    passed: bool = False
    preview: bool = False

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and not self.limit_reached and not self.next_start_at


def attempt_review(*, attempt: QuizAttempt, quiz: QuizPage) -> list[ReviewItem]:
    """What the trainee may see of a submitted attempt, as far as the quiz allows."""
    Review = QuizPage.Review
    if quiz.review == Review.SCORE or attempt.is_open:
        return []
    items = []
    for number, question in enumerate(attempt.questions, start=1):
        given = attempt.answers.get(question["id"], [])
        correct = attempt.results.get(question["id"], {}).get("correct", False)
        item = ReviewItem(
            number=number,
            text=question["value"]["question"],
            correct=correct,
            given=scoring.answer_labels(question, given),
        )
        if question["type"] == "picture":
            item.image_id = question["value"].get("image")
            item.alt_text = question["value"].get("alt_text") or ""
        if quiz.review in (Review.FEEDBACK, Review.CORRECT):
            item.feedback = scoring.answer_feedback(question, given, correct)
        if quiz.review == Review.CORRECT:
            item.right = scoring.right_answer_labels(question)
        items.append(item)
    return items


def quiz_state(*, user, quiz: QuizPage, preview: bool = False) -> QuizState:
    from .services import _bank, quiz_next_start

    state = QuizState()
    if preview:  # the instructor's preview: the bank as a trainee would see it, no attempt
        state.preview = True
        state.questions = [
            scoring.question_display(scoring.snapshot_question(q, shuffle=False, rng=None))
            for q in _bank(quiz)
        ]
        _images_attach(state.questions)
        return state
    if not user.is_authenticated or quiz.pk is None:
        return state
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz))
    submitted = [a for a in attempts if not a.is_open]
    state.open_attempt = next((a for a in attempts if a.is_open), None)
    state.attempts_used = len(submitted)
    state.passed = any(a.passed for a in submitted)
    if quiz.max_attempts:
        state.attempts_left = max(quiz.max_attempts - len(submitted), 0)
    if submitted:
        state.last = max(submitted, key=lambda a: (a.submitted_at, a.pk))
        state.review = attempt_review(attempt=state.last, quiz=quiz)
        state.show_which_wrong = quiz.review != QuizPage.Review.SCORE
    if state.open_attempt is not None:
        state.questions = [scoring.question_display(q) for q in state.open_attempt.questions]
    else:
        try:
            state.next_start_at = quiz_next_start(user=user, quiz=quiz)
        except AttemptLimitReached:
            state.limit_reached = True
    _images_attach([*state.questions, *state.review])
    return state


def _images_attach(items) -> None:
    """Give picture questions their image (one query for the page)."""
    from wagtail.images import get_image_model

    def image_id(item):
        return item.get("image_id") if isinstance(item, dict) else item.image_id

    ids = {image_id(item) for item in items} - {None}
    if not ids:
        return
    images = get_image_model().objects.in_bulk(ids)
    for item in items:
        image = images.get(image_id(item))
        if isinstance(item, dict):
            item["image"] = image
        else:
            item.image = image
