"""An instructor's plain verdict on a finished print, without the practical's rubric.

Kept for scripts and older tests; the grading page goes through
`practicals.services.assessment.assessment_create`. The verdict is still recorded as an
`Assessment` (with the checks as computed then), so every grade has its record.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError
from courses.signals import step_completed

from ..exceptions import IllegalTransition
from ..models import Assessment, AttemptEvent, PrintAttempt


@transaction.atomic
def attempt_grade(*, grader, attempt: PrintAttempt, passed: bool, comment: str) -> PrintAttempt:
    if not grader.has_perm("practicals.grade_printattempt"):
        raise AtelierError(_("Only instructors can grade prints."))
    attempt = PrintAttempt.objects.select_for_update().get(pk=attempt.pk)
    if not attempt.finished:
        raise IllegalTransition(_("This print is not finished yet."))
    if attempt.grade:
        raise IllegalTransition(_("This print is already graded."))
    if passed and attempt.state != PrintAttempt.State.COMPLETED:
        raise IllegalTransition(_("Only a print that completed can pass."))
    if attempt.trainee_id == grader.pk:
        raise AtelierError(_("You cannot grade your own print."))
    comment = comment.strip()
    if not passed and not comment:
        raise AtelierError(_("Say what went wrong in the comment, so the trainee can improve."))
    attempt.grade = PrintAttempt.Grade.PASSED if passed else PrintAttempt.Grade.FAILED
    attempt.grade_comment = comment
    attempt.graded_by = grader
    attempt.graded_at = timezone.now()
    attempt.save(update_fields=["grade", "grade_comment", "graded_by", "graded_at"])
    from .assessment import attempt_checks

    Assessment.objects.create(
        attempt=attempt,
        grader=grader,
        checks=attempt_checks(attempt),
        comment=comment,
        passed=passed,
        pass_percent=attempt.practical.pass_rubric_percent,
    )
    AttemptEvent.objects.create(
        attempt=attempt,
        from_state=attempt.state,
        to_state=attempt.state,
        code="graded",
        params={"grade": attempt.grade, "by": grader.pk},
    )
    if passed:
        course = attempt.practical.course()
        trainee = attempt.trainee
        transaction.on_commit(
            lambda: step_completed.send(sender=PrintAttempt, user=trainee, course=course)
        )
    return attempt
