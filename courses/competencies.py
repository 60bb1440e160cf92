"""Competency states of a trainee, across courses, and the evidence that decides them.

A course certifies competencies (`CourseCompetency`), each with a mastery rule:

- quizzes: at least `quiz_threshold` % of the course's questions tagged with the
  competency (in its live quizzes) answered right in a passed attempt;
- other evidence (practical rubric criteria, later): every criterion tagged with the
  competency passed. Apps above courses feed it through `competency_evidence_register`
  without courses importing them, as `CourseStepPage.steps_done` does for progress.

A competency with no tagged question and no other evidence in a course cannot be
mastered there. Across courses, a competency takes its best state: mastered anywhere
is mastered.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Competency, CourseCompetency, CoursePage, Enrolment, QuizAttempt, QuizPage


class CompetencyStatus(models.IntegerChoices):
    NOT_STARTED = 0, _("not started")
    IN_PROGRESS = 1, _("in progress")
    MASTERED = 2, _("mastered")


@dataclass(frozen=True)
class Evidence:
    """What another app knows of one competency in one course: `passed` of `total`."""

    course_id: int
    competency_id: int
    passed: int
    total: int


# Each source is called as source(user=..., course_ids=[...]) -> iterable of Evidence.
EvidenceSource = Callable[..., Iterable[Evidence]]
_evidence_sources: list[EvidenceSource] = []


def competency_evidence_register(source: EvidenceSource) -> EvidenceSource:
    """Add a source of evidence (call it from an AppConfig.ready); usable as a decorator."""
    if source not in _evidence_sources:
        _evidence_sources.append(source)
    return source


def competency_evidence_unregister(source: EvidenceSource) -> None:
    if source in _evidence_sources:
        _evidence_sources.remove(source)


@dataclass
class CourseProgress:
    """One competency in one course: how far the rule is met."""

    course: CoursePage
    threshold: int
    questions_total: int = 0
    questions_right: int = 0
    attempted: bool = False
    evidence_passed: int = 0
    evidence_total: int = 0

    @property
    def percent_right(self) -> int:
        if not self.questions_total:
            return 0
        return round(100 * self.questions_right / self.questions_total)

    @property
    def status(self) -> CompetencyStatus:
        assessable = self.questions_total or self.evidence_total
        quiz_ok = not self.questions_total or self.percent_right >= self.threshold
        evidence_ok = self.evidence_passed >= self.evidence_total
        if assessable and quiz_ok and evidence_ok:
            return CompetencyStatus.MASTERED
        if self.attempted or self.evidence_passed:
            return CompetencyStatus.IN_PROGRESS
        return CompetencyStatus.NOT_STARTED


@dataclass
class CompetencyState:
    competency: Competency
    courses: list[CourseProgress] = field(default_factory=list)

    @property
    def status(self) -> CompetencyStatus:
        return max((c.status for c in self.courses), default=CompetencyStatus.NOT_STARTED)


def _tagged_questions(quizzes: Iterable[QuizPage]) -> dict[tuple[str, str], set[str]]:
    """(quiz path, competency id) -> ids of the live questions tagged with it."""
    tagged: dict[tuple[str, str], set[str]] = defaultdict(set)
    for quiz in quizzes:
        for block in quiz.questions.get_prep_value():
            for competency_id in block["value"].get("competencies") or []:
                tagged[(quiz.path, str(competency_id))].add(block["id"])
    return tagged


def competency_states(*, user, course_ids: list[int] | None = None) -> list[CompetencyState]:
    """Every competency certified by a course `user` is enrolled in, with its state.

    `course_ids`: the ids of the courses `user` is enrolled in, when the caller has read
    them already (the dashboard), saving that query.
    """
    if not user.is_authenticated:
        return []
    if course_ids is None:
        course_ids = list(Enrolment.objects.filter(user=user).values_list("course_id", flat=True))
    links = list(
        CourseCompetency.objects.filter(course_id__in=course_ids, course__live=True)
        .select_related("competency", "course")
        .order_by("competency__name", "course__path")
    )
    if not links:
        return []
    courses = {link.course_id: link.course for link in links}
    quizzes = [
        quiz
        for course in courses.values()
        for quiz in QuizPage.objects.live().descendant_of(course).only("path", "questions")
    ]
    tagged = _tagged_questions(quizzes)
    quiz_course = {
        quiz.pk: next(c.pk for c in courses.values() if quiz.path.startswith(c.path))
        for quiz in quizzes
    }
    quiz_paths = {quiz.pk: quiz.path for quiz in quizzes}

    # (course id, competency id) -> ids right in a passed attempt / asked at all.
    right: dict[tuple[int, str], set[str]] = defaultdict(set)
    asked: dict[tuple[int, str], set[str]] = defaultdict(set)
    attempts = QuizAttempt.objects.filter(
        user=user, quiz_id__in=quiz_course, status=QuizAttempt.Status.SUBMITTED
    ).only("quiz_id", "passed", "results")
    for attempt in attempts:
        course_id = quiz_course[attempt.quiz_id]
        for question_id, result in attempt.results.items():
            for competency_id in result.get("competencies", []):
                live = tagged.get((quiz_paths[attempt.quiz_id], competency_id), set())
                if question_id not in live:
                    continue  # removed or untagged since: not counted
                asked[(course_id, competency_id)].add(question_id)
                if attempt.passed and result.get("correct"):
                    right[(course_id, competency_id)].add(question_id)

    evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    for source in _evidence_sources:
        for item in source(user=user, course_ids=list(courses)):
            evidence[(item.course_id, item.competency_id)].append(item)

    states: dict[int, CompetencyState] = {}
    for link in links:
        key = (link.course_id, str(link.competency_id))
        total = set().union(
            *(
                ids
                for (path, cid), ids in tagged.items()
                if cid == key[1] and path.startswith(link.course.path)
            )
        )
        progress = CourseProgress(
            course=link.course,
            threshold=link.quiz_threshold,
            questions_total=len(total),
            questions_right=len(right[key] & total),
            attempted=bool(asked[key]),
            evidence_passed=sum(e.passed for e in evidence[(link.course_id, link.competency_id)]),
            evidence_total=sum(e.total for e in evidence[(link.course_id, link.competency_id)]),
        )
        state = states.setdefault(link.competency_id, CompetencyState(competency=link.competency))
        state.courses.append(progress)
    return list(states.values())


def competencies_mastered(*, user) -> list[Competency]:
    """What a certificate may print: the competencies `user` has mastered."""
    return [
        s.competency for s in competency_states(user=user) if s.status == CompetencyStatus.MASTERED
    ]
