"""The demo cohorts: trainees of the demo farm at different stages of the demo courses."""

import datetime as dt

from django.utils import timezone

from certificates.services import certificate_issue
from courses.activity import Verb, activity_record
from courses.selectors import enrolment_exists
from lms.roles import TRAINEE
from practicals.models import Booking, Cohort, PracticalPage

from .progress import course_walk, hour_ago, print_recorded, quiz_answer
from .users import DEMO_PASSWORD, user_ensure

# Each cohort: its course, and its trainees with how far they are (steps completed in
# course order), the quizzes they failed once before passing, when they were last active,
# and what else they have: an upcoming booking, a print waiting for its grade.
COHORTS = [
    {
        "name": "Session de découverte — décembre",
        "course": "initiation-impression-3d-fdm",
        "printer": 0,
        "trainees": [
            # The demo walk starts fresh.
            {"email": "stagiaire@atelier.test", "name": "Camille Martin", "done": 0},
            {"email": "hugo@atelier.test", "name": "Hugo Blanc", "done": 2, "active": 0},
            {
                "email": "ines@atelier.test",
                "name": "Inès Lefèvre",
                "done": 11,
                "failed": ["quiz-securite-machine"],
                "active": 1,
                "booked": True,
            },
            {
                "email": "thomas@atelier.test",
                "name": "Thomas Girard",
                "done": 2,
                "failed_last": "quiz-securite-machine",
                "active": 12,
            },
            {
                "email": "zoe@atelier.test",
                "name": "Zoé Fabre",
                "done": 16,
                "failed": ["quiz-defauts"],
                "active": 3,
                "certificate": True,
            },
        ],
    },
    {
        "name": "Session exploitants — janvier",
        "course": "operer-ferme-impression-3d",
        "printer": 1,
        "trainees": [
            {
                "email": "zoe@atelier.test",
                "name": "Zoé Fabre",
                "done": 7,
                "active": 0,
                "to_grade": True,
            },
            {"email": "malik@atelier.test", "name": "Malik Haddad", "done": 3, "active": 2},
        ],
    },
]


def _activity(*, trainee, course, page, days_ago: int) -> None:
    start = timezone.now() - dt.timedelta(days=days_ago, minutes=30)
    for minutes in (0, 4, 9, 15):
        activity_record(
            user=trainee,
            verb=Verb.VIEWED,
            course=course,
            page=page,
            at=start + dt.timedelta(minutes=minutes),
        )


def _trainee_bring(*, spec: dict, trainee, course, printer, instructor, index: int) -> None:
    when = hour_ago(days=4 + index)
    following = course_walk(
        user=trainee,
        course=course,
        steps_done=spec["done"],
        failed_first=spec.get("failed", ()),
        printer=printer,
        grader=instructor,
        when=when,
    )
    if spec.get("failed_last") and following is not None:
        quiz_answer(user=trainee, quiz=following, right=False)
    if spec.get("booked") and isinstance(following, PracticalPage):
        starts_at = hour_ago(days=-1) + dt.timedelta(hours=index)
        Booking.objects.create(
            trainee=trainee,
            printer=printer,
            practical=following,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=following.slot_minutes),
        )
    if spec.get("to_grade") and isinstance(following, PracticalPage):
        print_recorded(user=trainee, practical=following, printer=printer, starts_at=when)
    if spec.get("active") is not None and following is not None:
        _activity(trainee=trainee, course=course, page=following, days_ago=spec["active"])
    if spec.get("certificate"):
        certificate_issue(user=trainee, course=course, language="fr")


def cohorts_seed(*, courses: dict, farm, instructor, printers) -> list[Cohort]:
    """The demo cohorts (once; a second call finds them, and trainees already enrolled are
    left as they are)."""
    today = timezone.localdate()
    cohorts = []
    for data in COHORTS:
        course = courses[data["course"]]
        cohort, _ = Cohort.objects.get_or_create(
            name=data["name"],
            defaults={
                "farm": farm,
                "starts_on": today - dt.timedelta(days=14),
                "ends_on": today + dt.timedelta(days=14),
            },
        )
        cohort.courses.add(course)
        cohort.instructors.add(instructor)
        for index, spec in enumerate(data["trainees"]):
            trainee = user_ensure(
                email=spec["email"], full_name=spec["name"], password=DEMO_PASSWORD, role=TRAINEE
            )
            cohort.trainees.add(trainee)
            if enrolment_exists(user=trainee, course=course):
                continue
            _trainee_bring(
                spec=spec,
                trainee=trainee,
                course=course,
                printer=printers[data["printer"]],
                instructor=instructor,
                index=index,
            )
        cohorts.append(cohort)
    return cohorts
