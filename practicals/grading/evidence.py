"""Rubric criteria tagged with a competency, as evidence for courses' mastery rule.

Registered with `courses.competencies.competency_evidence_register` in the app's `ready`:
in a course, a competency's practical evidence is every rubric criterion tagged with it in
the course's live practicals; a criterion counts as passed when the latest assessment of
one of the trainee's prints of that practical passed it.
"""

from collections import defaultdict

from courses.competencies import Evidence
from courses.models import CoursePage

from ..models import Assessment, PracticalPage, RubricCriterion


def rubric_evidence(*, user, course_ids):
    courses = list(CoursePage.objects.filter(pk__in=course_ids).only("pk", "path"))
    if not courses:
        return []
    criteria = list(
        RubricCriterion.objects.filter(
            competency__isnull=False, page__live=True, page__in=_practicals(courses)
        ).select_related("page")
    )
    if not criteria:
        return []
    passed_ids: set[int] = set()
    latest_seen: set[int] = set()
    assessments = Assessment.objects.filter(
        attempt__trainee=user, attempt__practical__in={c.page_id for c in criteria}
    ).only("attempt_id", "rubric")
    for assessment in assessments:  # newest first: the latest of each attempt counts
        if assessment.attempt_id in latest_seen:
            continue
        latest_seen.add(assessment.attempt_id)
        passed_ids |= {row["id"] for row in assessment.rubric if row.get("passed")}
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for criterion in criteria:
        course = next((c for c in courses if criterion.page.path.startswith(c.path)), None)
        if course is None:
            continue
        counts = totals[(course.pk, criterion.competency_id)]
        counts[1] += 1
        counts[0] += criterion.pk in passed_ids
    return [
        Evidence(course_id, competency_id, passed=passed, total=total)
        for (course_id, competency_id), (passed, total) in totals.items()
    ]


def _practicals(courses):
    pages = PracticalPage.objects.none()
    for course in courses:
        pages = pages | PracticalPage.objects.descendant_of(course)
    return pages
