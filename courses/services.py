"""Writes of the learning path: enrolling, marking a lesson done (quizzes: `courses.quiz`)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .activity import Verb, activity_record
from .exceptions import AtelierError, NotEnrolled, PrerequisitesMissing, StepLocked
from .models import CoursePage, Enrolment, LessonCompletion, LessonPage
from .selectors import enrolment_exists, prerequisites_missing, step_lock
from .signals import step_completed


def _step_completed_on_commit(*, user, course: CoursePage) -> None:
    transaction.on_commit(lambda: step_completed.send(sender=CoursePage, user=user, course=course))


@transaction.atomic
def enrolment_create(*, user, course: CoursePage) -> Enrolment:
    """Enrol `user` in `course`: the one door of every path (the trainee's button, a cohort
    invitation, a CSV import, the cohort admin). Refused with `PrerequisitesMissing` (its
    message names the courses) until every prerequisite course is complete; an enrolment
    this service made keeps the course open if a prerequisite is added later."""
    if not course.live:
        raise AtelierError(_("This course is not open."))
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None and existing.prerequisites_checked:
        return existing
    missing = prerequisites_missing(user=user, course=course)
    if missing:
        raise PrerequisitesMissing(prerequisites_message(missing), missing=missing)
    if existing is not None:  # written by another path: checked now
        existing.prerequisites_checked = True
        existing.save(update_fields=["prerequisites_checked"])
        return existing
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"prerequisites_checked": True}
    )
    return enrolment


def prerequisites_message(missing: list[CoursePage]) -> str:
    titles = ", ".join(_("“%(title)s”") % {"title": course.title} for course in missing)
    return _("Complete these courses first: %(titles)s.") % {"titles": titles}


def _require_enrolment(*, user, step) -> CoursePage:
    """The step's course, once `user` is enrolled in it and the step is open to them."""
    course = step.course()
    if not enrolment_exists(user=user, course=course):
        raise NotEnrolled()
    blocker = step_lock(step=step, user=user)
    if blocker is not None:
        raise StepLocked(
            _("Complete “%(title)s” first: this course opens its steps in order.")
            % {"title": blocker.title}
        )
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
