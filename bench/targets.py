"""The pages the benchmark measures, who asks for them, and how a right answer looks.

Shared by `make bench` (bench.run) and the smoke test in `make test`
(tests/bench/test_smoke.py), so both check the same pages the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from practicals.models import PracticalPage
from practicals.status import status_url

from .data import PERSONAS, persona_attempt_ensure


@dataclass
class Target:
    name: str
    path: str
    persona: str | None  # key of PERSONAS, None for anonymous
    markers: list[str] = field(default_factory=list)  # each must be in the answer
    queries: int = 0  # measured per request

    def check(self, status: int, body: str) -> list[str]:
        """What is wrong with an answer (empty when it is the right page)."""
        problems = [] if status == 200 else [f"status {status}"]
        problems += [f"missing {m!r}" for m in self.markers if m not in body]
        return problems


def middle_lesson(course: CoursePage) -> LessonPage:
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    return lessons[len(lessons) // 2]


def targets(*, course: CoursePage | None = None) -> list[Target]:
    """The measured pages of the loaded data. `course` defaults to the first course."""
    courses = list(CoursePage.objects.live().order_by("path"))
    course = course or courses[0]
    lesson = middle_lesson(course)
    practical = PracticalPage.objects.live().descendant_of(course).first()
    learner = get_user_model().objects.get(email=PERSONAS["learner"])
    certificate = Certificate.objects.filter(holder=learner).first()
    lesson_form = f'action="/courses/lessons/{lesson.pk}/done/"'
    booker = get_user_model().objects.get(email=PERSONAS["booker"])
    attempt = persona_attempt_ensure(booker=booker.pk)  # also in data loaded before it existed
    return [
        Target("lesson", lesson.url, "learner", [f"<h1>{lesson.title}</h1>", lesson_form]),
        Target("course", course.url, "learner", [f"<h1>{course.title}</h1>", lesson.url]),
        Target("dashboard", "/dashboard/", "learner", [course.title, certificate.public_id]),
        Target("catalogue", "/", None, [c.title for c in courses[:1] + courses[-1:]]),
        Target("verification", certificate.get_absolute_url(), None, [certificate.code]),
        # What the live page of a print polls every 2 s (issue 11: ≥ 30 % of the bare view):
        # the URL signed for the booker, as their attempt page gives it; their session
        # cookie is sent too, as a browser would.
        Target(
            "status",
            status_url(attempt_id=attempt, viewer_id=booker.pk),
            "booker",
            ['"state": "printing"'],
        ),
        Target(
            "booking",
            practical.url,
            "booker",
            [f"<h1>{practical.title}</h1>", f'action="/practicals/{practical.pk}/book/"'],
        ),
    ]
