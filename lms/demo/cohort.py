"""The demo cohort: trainees of the demo farm at different stages of the demo course."""

import datetime as dt

from django.utils import timezone

from courses import services
from courses.activity import Verb, activity_record
from courses.models import LessonPage
from courses.selectors import course_steps
from lms.roles import TRAINEE
from practicals.models import Cohort

from .users import DEMO_PASSWORD, user_ensure

DEMO_COHORT = "Session de découverte — décembre"

# e-mail, full name, lessons done, days since last activity
DEMO_TRAINEES = [
    ("stagiaire@atelier.test", "Camille Martin", 0, None),  # the demo walk starts fresh
    ("hugo@atelier.test", "Hugo Blanc", 1, 0),
    ("ines@atelier.test", "Inès Lefèvre", 3, 1),
    ("thomas@atelier.test", "Thomas Girard", 0, 12),
    ("zoe@atelier.test", "Zoé Fabre", 0, None),
]


def cohort_seed(*, course, farm, instructor) -> Cohort:
    today = timezone.localdate()
    cohort, created = Cohort.objects.get_or_create(
        name=DEMO_COHORT,
        defaults={
            "farm": farm,
            "starts_on": today - dt.timedelta(days=14),
            "ends_on": today + dt.timedelta(days=14),
        },
    )
    cohort.courses.add(course)
    cohort.instructors.add(instructor)
    lessons = [s.specific for s in course_steps(course=course) if s.specific_class is LessonPage]
    for email, name, done, days_ago in DEMO_TRAINEES:
        trainee = user_ensure(email=email, full_name=name, password=DEMO_PASSWORD, role=TRAINEE)
        cohort.trainees.add(trainee)
        services.enrolment_create(user=trainee, course=course)
        for lesson in lessons[:done]:
            services.lesson_complete(user=trainee, lesson=lesson)
        if created and days_ago is not None and lessons:
            start = timezone.now() - dt.timedelta(days=days_ago, minutes=30)
            for minutes in (0, 4, 9, 15):
                activity_record(
                    user=trainee,
                    verb=Verb.VIEWED,
                    course=course,
                    page=lessons[0],
                    at=start + dt.timedelta(minutes=minutes),
                )
    return cohort
