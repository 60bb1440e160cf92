"""Writes of the learning path: enrolling, marking a lesson done, submitting a quiz."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .exceptions import AtelierError, InvalidAnswer, NotEnrolled
from .models import CoursePage, Enrolment, LessonCompletion, LessonPage, QuizAttempt, QuizPage
from .selectors import enrolment_exists
from .signals import step_completed


def _step_completed_on_commit(*, user, course: CoursePage) -> None:
    transaction.on_commit(lambda: step_completed.send(sender=CoursePage, user=user, course=course))


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    if not course.live:
        raise AtelierError(_("This course is not open."))
    enrolment, _created = Enrolment.objects.get_or_create(user=user, course=course)
    return enrolment


def _require_enrolment(*, user, step) -> CoursePage:
    course = step.course()
    if not enrolment_exists(user=user, course=course):
        raise NotEnrolled()
    return course


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> LessonCompletion:
    course = _require_enrolment(user=user, step=lesson)
    try:
        with transaction.atomic():
            completion, created = LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    except IntegrityError:  # the same trainee clicked twice at once
        return LessonCompletion.objects.get(user=user, lesson=lesson)
    if created:
        _step_completed_on_commit(user=user, course=course)
    return completion


@transaction.atomic
def quiz_submit(*, user, quiz: QuizPage, answers: dict[str, str]) -> QuizAttempt:
    """Score `answers` (question block id -> chosen answer index) on the server.

    Every question of the quiz must be answered, and only its questions: an answer to a
    question of another quiz, or to an answer that does not exist, is refused whole.
    """
    course = _require_enrolment(user=user, step=quiz)
    questions = {block.id: block.value for block in quiz.questions}
    if not questions:
        raise AtelierError(_("This quiz has no questions yet."))
    unknown = set(answers) - set(questions)
    if unknown:
        raise InvalidAnswer()
    if set(answers) != set(questions):
        raise AtelierError(_("Please answer every question."))

    correct = 0
    for question_id, value in questions.items():
        choices = list(value["choices"])
        try:
            chosen = int(answers[question_id])
        except (TypeError, ValueError):
            raise InvalidAnswer() from None
        if not 0 <= chosen < len(choices):
            raise InvalidAnswer()
        correct += bool(choices[chosen]["correct"])

    score = round(100 * correct / len(questions))
    already_passed = QuizAttempt.objects.filter(user=user, quiz=quiz, passed=True).exists()
    attempt = QuizAttempt.objects.create(
        user=user, quiz=quiz, answers=answers, score=score, passed=score >= quiz.pass_mark
    )
    if attempt.passed and not already_passed:
        _step_completed_on_commit(user=user, course=course)
    return attempt
