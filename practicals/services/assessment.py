"""Grading a print: the checks computed from telemetry, the rubric, the practical's rule.

`assessment_create` writes a new `Assessment` every time: a correction never overwrites
the earlier one, the latest counts. The attempt's `grade` fields mirror the latest
assessment, so that progress, certificates and the queue keep reading one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError
from courses.signals import step_completed

from ..access import farms_staffed_by
from ..exceptions import IllegalTransition
from ..grading.checks import CheckInput, Verdict, check_run
from ..grading.gcode_facts import attempt_gcode_facts
from ..grading.photos import photo_clean
from ..models import (
    Assessment,
    AssessmentPhoto,
    AttemptEvent,
    BedClearance,
    PrintAttempt,
    RubricCriterion,
)
from .bed import bed_waiting
from .telemetry import attempt_series

MAX_PHOTOS = 6


class NotYourFarm(AtelierError):
    status = 404
    default_message = _("This print is not at one of your farms.")


def attempt_check_input(attempt: PrintAttempt) -> CheckInput:
    return CheckInput(
        state=attempt.state,
        message_code=attempt.message_code,
        message_params=attempt.message_params or {},
        print_time_s=attempt.print_time_s,
        progress=attempt.progress,
        series=attempt_series(attempt_id=attempt.pk),
        facts=attempt_gcode_facts(attempt),
    )


def attempt_checks(attempt: PrintAttempt) -> list[dict]:
    """The practical's checks computed now on the attempt, as an assessment keeps them."""
    data = attempt_check_input(attempt)
    results = []
    for item in attempt.practical.grading_checks.all():
        result = check_run(item.kind, data, item.threshold).as_dict()
        result["mandatory"] = item.mandatory
        results.append(result)
    return results


@dataclass
class RubricScore:
    rows: list[dict]
    percent: float | None


def rubric_score(criteria: list[RubricCriterion], answers: dict[int, float]) -> RubricScore:
    """Score each criterion from `answers` (criterion id → level or measured value).

    A level criterion scores level / highest level of its weight; a measured criterion
    scores its whole weight when within nominal ± tolerance, nothing otherwise."""
    rows, points, total = [], 0.0, 0
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        if answer is None:
            raise AtelierError(
                _("Score every criterion of the rubric: “%(label)s” is missing.")
                % {"label": criterion.label}
            )
        row = {
            "id": criterion.pk,
            "label": criterion.label,
            "kind": criterion.kind,
            "weight": criterion.weight,
            "competency_id": criterion.competency_id,
        }
        if criterion.kind == RubricCriterion.Kind.LEVELS:
            levels = criterion.level_texts()
            top = max(len(levels) - 1, 1)
            level = int(answer)
            if not 0 <= level <= top:
                raise AtelierError(
                    _("“%(label)s”: choose one of the levels.") % {"label": criterion.label}
                )
            row |= {
                "level": level,
                "top": top,
                "descriptor": levels[level] if level < len(levels) else "",
                "score": level / top,
                "passed": level >= min(criterion.pass_level, top),
            }
        else:
            nominal, tolerance = criterion.nominal or 0.0, criterion.tolerance or 0.0
            value = float(answer)
            within = abs(value - nominal) <= tolerance + 1e-9
            row |= {
                "value": value,
                "nominal": nominal,
                "tolerance": tolerance,
                "unit": criterion.unit,
                "deviation": round(value - nominal, 3),
                "score": 1.0 if within else 0.0,
                "passed": within,
            }
        points += row["score"] * criterion.weight
        total += criterion.weight
        rows.append(row)
    percent = round(100 * points / total, 1) if total else None
    return RubricScore(rows=rows, percent=percent)


def rule_passes(
    *, state: str, checks: list[dict], percent: float | None, pass_percent: int
) -> bool:
    """The practical's rule: the print completed, no mandatory check failed (a check that
    could not be measured does not count against it), and the rubric reaches its mark."""
    if state != PrintAttempt.State.COMPLETED:
        return False
    if any(c["mandatory"] and c["verdict"] == Verdict.FAIL for c in checks):
        return False
    return percent is None or percent >= pass_percent


def grader_may_grade(*, grader, attempt: PrintAttempt) -> bool:
    return grader.has_perm("practicals.grade_printattempt") and (
        farms_staffed_by(user=grader).filter(pk=attempt.printer.farm_id).exists()
    )


def assessment_create(
    *,
    grader,
    attempt: PrintAttempt,
    answers: dict[int, float],
    comment: str = "",
    photos=(),
    bed_clear: bool = False,
) -> Assessment:
    """Grade (or re-grade) a finished print; raise AtelierError and save nothing if refused."""
    if not grader.has_perm("practicals.grade_printattempt"):
        raise AtelierError(_("Only instructors can grade prints."))
    if not grader_may_grade(grader=grader, attempt=attempt):
        raise NotYourFarm()
    if attempt.trainee_id == grader.pk:
        raise AtelierError(_("You cannot grade your own print."))
    if not attempt.finished:
        raise IllegalTransition(_("This print is not finished yet."))
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise AtelierError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    cleaned = [photo_clean(upload) for upload in photos]  # all refused before anything is saved
    practical = attempt.practical
    score = rubric_score(list(practical.rubric_criteria.all()), answers)
    checks = attempt_checks(attempt)
    passed = rule_passes(
        state=attempt.state,
        checks=checks,
        percent=score.percent,
        pass_percent=practical.pass_rubric_percent,
    )
    comment = comment.strip()
    if not passed and not comment:
        raise AtelierError(_("Say what went wrong in the comment, so the trainee can improve."))
    with transaction.atomic():
        attempt = PrintAttempt.objects.select_for_update().get(pk=attempt.pk)
        previous = attempt.assessments.first()
        assessment = Assessment.objects.create(
            attempt=attempt,
            grader=grader,
            checks=checks,
            rubric=score.rows,
            rubric_percent=score.percent,
            pass_percent=practical.pass_rubric_percent,
            comment=comment,
            passed=passed,
            corrects=previous,
        )
        for content, width, height in cleaned:
            photo = AssessmentPhoto(assessment=assessment, width=width, height=height)
            photo.image.save("photo.jpg", content, save=False)
            photo.save()
        _mirror(attempt, assessment, grader)
        if bed_clear and bed_waiting(printer=attempt.printer) == attempt:
            BedClearance.objects.get_or_create(
                attempt=attempt, defaults={"printer": attempt.printer, "confirmed_by": grader}
            )
        if passed:
            course = practical.course()
            trainee = attempt.trainee
            transaction.on_commit(
                lambda: step_completed.send(sender=PrintAttempt, user=trainee, course=course)
            )
    return assessment


def _mirror(attempt: PrintAttempt, assessment: Assessment, grader) -> None:
    corrected = bool(attempt.grade)
    attempt.grade = PrintAttempt.Grade.PASSED if assessment.passed else PrintAttempt.Grade.FAILED
    attempt.grade_comment = assessment.comment
    attempt.graded_by = grader
    attempt.graded_at = timezone.now()
    attempt.save(update_fields=["grade", "grade_comment", "graded_by", "graded_at"])
    AttemptEvent.objects.create(
        attempt=attempt,
        from_state=attempt.state,
        to_state=attempt.state,
        code="regraded" if corrected else "graded",
        params={"grade": attempt.grade, "by": grader.pk, "assessment": assessment.pk},
    )
