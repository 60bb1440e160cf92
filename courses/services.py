"""Writes of the learning path: enrolling, marking a lesson done (quizzes: `courses.quiz`)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .activity import Verb, activity_record
from .exceptions import AtelierError, NotEnrolled
from .models import CoursePage, Enrolment, LessonCompletion, LessonPage
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
        activity_record(user=user, verb=Verb.COMPLETED, course=course, page=lesson)
        _step_completed_on_commit(user=user, course=course)
    return completion
