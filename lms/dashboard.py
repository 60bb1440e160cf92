"""The trainee's dashboard, assembled here because it reads every app (apps never read
each other sideways: courses cannot know of bookings or certificates).

Everything it shows about the trainee is read in one statement: each app gives its part
as rows of the same columns (`courses.trainee_rows`: enrolments, lessons done, quiz
attempts, pages visited; `practicals.trainee_rows`: prints and sessions;
`certificates.trainee_rows`: certificates), joined here with `UNION ALL` and compiled
once per process; each app reads its rows back. Titles and URLs of courses and steps
come from the cached outlines (the same for everyone, a new version on every change
inside a course), never from loading pages. Nothing about the trainee is cached: every
row is read on every request, so a lesson done, a quiz passed, a print graded, a
session booked or cancelled and a certificate issued show at once.

The competencies are read apart (`courses.competencies`), and only when a course of the
trainee's certifies some (the rows say).
"""

from dataclasses import dataclass

from certificates.holder_html import certificate_items
from certificates.trainee_rows import certificate_rows, certificates_listed
from courses import trainee_rows
from courses.competencies import CompetencyStatus, competency_states
from courses.precompiled_rows import PrecompiledRows
from practicals import trainee_rows as practical_rows

from .dashboard_html import course_cards

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


def _rows_query(user_id):
    return trainee_rows.rows_union(
        [
            *trainee_rows.course_parts(user_id),
            *practical_rows.practical_parts(user_id),
            certificate_rows(user_id),
        ]
    )


_rows = PrecompiledRows(_rows_query)


def grades_of(*, rows: dict, steps: dict, title) -> list[Grade]:
    """The latest quiz results and graded prints, newest first."""
    R = trainee_rows  # noqa: N806
    submitted = [row for row in rows.get("quiz", ()) if row[R.TEXT1] == "submitted"]
    submitted.sort(key=lambda row: (row[R.AT2] is not None, row[R.AT2] or 0, row[R.NUMBER]))
    grades = [
        Grade(
            kind="quiz",
            title=R.step_title(row[R.REF], steps),
            url=R.step_url(row[R.REF], steps),
            at=row[R.AT2],
            passed=bool(row[R.FLAG]),
            score=row[R.REF2],
        )
        for row in reversed(submitted[-RECENT:])
    ] + [
        Grade(
            kind="practical",
            title=line.practical_title,
            url=R.step_url(line.practical_id, steps),
            at=line.graded_at,
            passed=line.grade == "passed",
        )
        for line in practical_rows.prints_graded(rows, title=title, limit=RECENT)
    ]
    # A grade without its time (written around the service) comes last.
    return sorted(grades, key=lambda g: (g.at is not None, g.at or 0), reverse=True)[:RECENT]


def dashboard_context(*, user) -> dict:
    rows = trainee_rows.rows_by_kind(_rows.rows(user.pk))
    course_ids = trainee_rows.enrolled_course_ids(user=user, rows=rows)
    outlines = trainee_rows.outlines_read(course_ids)
    assessed = {
        **trainee_rows.step_statuses(rows),
        **practical_rows.step_statuses(rows),
    }
    # Kinds of step that read their statuses themselves (none today): one query each.
    assessed.update(
        trainee_rows.steps_status_others(
            user=user,
            outlines=outlines,
            known=trainee_rows.STEP_KINDS | practical_rows.STEP_KINDS,
        )
    )
    course_outlines = trainee_rows.course_outlines_from(
        outlines=outlines, assessed=assessed, rows=rows
    )
    # The enrolments were read with the rest: the competencies need only their ids.
    states = (
        competency_states(user=user, course_ids=course_ids)
        if trainee_rows.competencies_certified(rows, course_ids)
        else []
    )
    certificates = certificates_listed(rows)
    # Titles and URLs of steps from the outlines (a step of a course left: its page).
    steps_known = trainee_rows.steps_by_id(outlines)

    def title(page_id: int) -> str:
        return trainee_rows.step_title(page_id, steps_known)

    return {
        "outlines": course_outlines,
        "course_cards": course_cards(course_outlines),
        "bookings": practical_rows.bookings_next(rows, title=title, limit=RECENT),
        "attempts": practical_rows.prints_latest(rows, title=title),
        "grades": grades_of(rows=rows, steps=steps_known, title=title),
        "competencies": {
            "mastered": sum(1 for s in states if s.status == CompetencyStatus.MASTERED),
            "in_progress": sum(1 for s in states if s.status == CompetencyStatus.IN_PROGRESS),
            "total": len(states),
        },
        "certificates": certificates,
        "certificate_items": certificate_items(certificates),
        "can_grade": user.has_perm("practicals.grade_printattempt"),
    }
