"""Brings a demo trainee to a point of a course through the services a trainee would use.

Quizzes are answered (right, or wrong first for those named), lessons completed. A print
is demo history: its booking and attempt are written as they would stand after the print
(no printer is running while the demo seeds), then graded by the instructor's service.
"""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

import practicals
from courses import services as course_services
from courses.models import LessonPage, QuizPage
from courses.quiz import services as quiz_services
from courses.selectors import course_steps
from practicals.models import AttemptEvent, Booking, PracticalPage, PrintAttempt
from practicals.services.grading import attempt_grade

SAMPLE_GCODE = (
    Path(practicals.__file__).parent / "static/practicals/samples/premiere-impression.gcode"
)


def _answer(question: dict, *, right: bool) -> list[str]:
    value = question["value"]
    if question["type"] == "true_false":
        return ["true" if bool(value["true"]) == right else "false"]
    if question["type"] == "numeric":
        answer = Decimal(str(value["answer"]))
        given = answer if right else answer + Decimal(str(value["tolerance"])) + 50
        return [str(given).replace(".", ",")]  # as a French speaker types it
    choices = value["choices"]
    if right:
        return [c["id"] for c in choices if c["value"]["correct"]]
    return [next(c["id"] for c in choices if not c["value"]["correct"])]


def quiz_answer(*, user, quiz: QuizPage, right: bool):
    """Start an attempt and submit it, every answer right (or every answer wrong)."""
    attempt = quiz_services.quiz_attempt_start(user=user, quiz=quiz, rng=random.Random(user.pk))
    answers = {q["id"]: _answer(q, right=right) for q in attempt.questions}
    return quiz_services.quiz_attempt_submit(
        user=user, quiz=quiz, attempt_id=attempt.pk, answers=answers
    )


def print_recorded(*, user, practical: PracticalPage, printer, starts_at) -> PrintAttempt:
    """A booking of `printer` at `starts_at` and the completed print made in it."""
    ends_at = starts_at + dt.timedelta(minutes=practical.slot_minutes)
    booking = Booking.objects.create(
        trainee=user, printer=printer, practical=practical, starts_at=starts_at, ends_at=ends_at
    )
    attempt = PrintAttempt(
        booking=booking,
        trainee=user,
        printer=printer,
        practical=practical,
        filename=SAMPLE_GCODE.name,
        state=PrintAttempt.State.COMPLETED,
        progress=100.0,
        print_time_s=41 * 60,
        started_at=starts_at + dt.timedelta(minutes=5),
        ended_at=starts_at + dt.timedelta(minutes=46),
    )
    attempt.gcode.save(SAMPLE_GCODE.name, ContentFile(SAMPLE_GCODE.read_bytes()), save=False)
    attempt.save()
    for from_state, to_state in (("", "queued"), ("queued", "printing"), ("printing", "completed")):
        AttemptEvent.objects.create(attempt=attempt, from_state=from_state, to_state=to_state)
    return attempt


def course_walk(*, user, course, steps_done: int, failed_first=(), printer, grader, when):
    """Enrol `user` and complete the first `steps_done` steps of `course`.

    Quizzes whose slug is in `failed_first` get a failed attempt before the passed one;
    a practical is printed at `when` and passed by `grader`. Returns the next step.
    """
    course_services.enrolment_create(user=user, course=course)
    steps = course_steps(course=course)
    for step in steps[:steps_done]:
        if isinstance(step, LessonPage):
            course_services.lesson_complete(user=user, lesson=step)
        elif isinstance(step, QuizPage):
            if step.slug in failed_first:
                quiz_answer(user=user, quiz=step, right=False)
            quiz_answer(user=user, quiz=step, right=True)
        elif isinstance(step, PracticalPage):
            attempt = print_recorded(user=user, practical=step, printer=printer, starts_at=when)
            attempt_grade(
                grader=grader,
                attempt=attempt,
                passed=True,
                comment="Première couche régulière, cotes dans la tolérance. Bravo\u00a0!",
            )
    return steps[steps_done] if steps_done < len(steps) else None


def hour_ago(days: int) -> dt.datetime:
    """A whole hour `days` days ago (demo history never overlaps the current hour)."""
    return (timezone.now() - dt.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
