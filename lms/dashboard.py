"""The trainee's dashboard, assembled here because it reads every app (apps never read
each other sideways: courses cannot know of bookings or certificates).

Every part is read in a fixed number of queries, whatever the number of courses,
steps, bookings or grades: the outlines come from the cache and their statuses in one
query per kind of step (`courses.selectors.course_outlines_of`).
"""

from dataclasses import dataclass

from certificates.selectors import certificates_of
from courses.competencies import CompetencyStatus, competency_states
from courses.selectors import course_outlines_of, quiz_results_recent
from practicals.selectors import attempts_of, bookings_upcoming, grades_recent

RECENT = 5


@dataclass
class Grade:
    """One recent result: a quiz attempt or a graded print."""

    kind: str  # "quiz" or "practical"
    title: str
    url: str
    at: object
    passed: bool
    score: int | None = None


def grades_of(*, user) -> list[Grade]:
    grades = [
        Grade(
            kind="quiz",
            title=a.quiz.title,
            url=a.quiz.url or "",
            at=a.submitted_at,
            passed=bool(a.passed),
            score=a.score,
        )
        for a in quiz_results_recent(user=user, limit=RECENT)
    ] + [
        Grade(
            kind="practical",
            title=a.practical.title,
            url=a.practical.url or "",
            at=a.graded_at,
            passed=a.grade == "passed",
        )
        for a in grades_recent(user=user, limit=RECENT)
    ]
    return sorted(grades, key=lambda g: g.at, reverse=True)[:RECENT]


def dashboard_context(*, user) -> dict:
    outlines = course_outlines_of(user=user)
    # The enrolments were read with the outlines: the competencies need only their ids.
    states = competency_states(user=user, course_ids=[o.course.pk for o in outlines])
    return {
        "outlines": outlines,
        "bookings": list(bookings_upcoming(user=user)[:RECENT]),
        "attempts": attempts_of(user=user),
        "grades": grades_of(user=user),
        "competencies": {
            "mastered": sum(1 for s in states if s.status == CompetencyStatus.MASTERED),
            "in_progress": sum(1 for s in states if s.status == CompetencyStatus.IN_PROGRESS),
            "total": len(states),
        },
        "certificates": certificates_of(user=user),
        "can_grade": user.has_perm("practicals.grade_printattempt"),
    }
