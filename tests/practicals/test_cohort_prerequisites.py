"""Prerequisite courses hold on every path into a course, not only the trainee's button.

Invitation, CSV import and the cohort admin enrol through `courses.services.enrolment_create`;
a trainee missing a prerequisite outside the session is refused with a clear reason, and an
enrolment written around the service does not open the course's lessons.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import services as course_services
from courses.exceptions import PrerequisitesMissing
from courses.models import Enrolment, LessonCompletion
from courses.selectors import enrolment_exists
from practicals.cohorts import services
from practicals.models import Cohort
from tests.fixtures.courses import PASSWORD, course_build, steps_of
from tests.fixtures.progress import practical_passed

User = get_user_model()
COHORTS_ADMIN = "/admin/snippets/practicals/cohort/"


@pytest.fixture
def advanced(course):
    advanced = course_build(title="Ferme avancée")
    advanced.prerequisites.add(course)
    advanced.save_revision().publish()
    return advanced


@pytest.fixture
def cohort(farm, instructor):
    farm.instructors.add(instructor)
    cohort = Cohort.objects.create(
        name="Session avancée",
        farm=farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 12),
    )
    cohort.instructors.add(instructor)
    return cohort


def test_an_invitation_is_refused_when_a_prerequisite_is_outside_the_cohort(
    cohort, advanced, instructor, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    cohort.courses.add(advanced)
    for email in (trainee.email, "nouveau@example.org"):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(services.CohortError) as refused,
        ):
            services.cohort_invite(by=instructor, cohort=cohort, email=email, base_url="http://t/")
        message = str(refused.value)
        assert email in message and "«\u00a0Initiation FDM\u00a0»" in message
    assert not cohort.trainees.exists()
    assert not Enrolment.objects.filter(course=advanced).exists()
    assert not User.objects.filter(email="nouveau@example.org").exists()
    assert mailoutbox == []


def test_an_invitation_enrols_once_the_prerequisites_are_complete(
    cohort, advanced, course, instructor, trainee, offline_printer
):
    cohort.courses.add(advanced)
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    services.cohort_invite(by=instructor, cohort=cohort, email=trainee.email, base_url="http://t/")
    assert Enrolment.objects.get(user=trainee, course=advanced).prerequisites_checked


def test_a_prerequisite_in_the_same_cohort_defers_the_next_course(
    cohort, advanced, course, instructor, offline_printer
):
    cohort.courses.add(course, advanced)
    user = services.cohort_invite(
        by=instructor, cohort=cohort, email="lea@example.org", base_url="http://t/"
    )
    assert cohort.trainees.filter(pk=user.pk).exists()
    assert Enrolment.objects.filter(user=user, course=course).exists()
    assert not Enrolment.objects.filter(user=user, course=advanced).exists()
    # Once the first course is complete, the trainee enrols in the next one.
    practical_passed(course=course, user=user, printer=offline_printer, grader=instructor)
    course_services.enrolment_create(user=user, course=advanced)
    assert enrolment_exists(user=user, course=advanced)


def test_csv_import_rejects_each_row_missing_a_prerequisite_and_imports_nothing(
    client, cohort, advanced, course, instructor, trainee, other_trainee, offline_printer
):
    cohort.courses.add(advanced)
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    data = (
        "full name,email\n"
        f"Prête,{trainee.email.upper()}\n"
        f"Pas prête,{other_trainee.email}\n"
        "Nouvelle,nouvelle@example.org\n"
    )
    with pytest.raises(services.CsvRefused) as refused:
        services.cohort_import_csv(
            by=instructor, cohort=cohort, data=data.encode(), base_url="http://t/"
        )
    rows = refused.value.rejected
    assert [r.line for r in rows] == [3, 4]
    assert other_trainee.email in rows[0].reason and "Initiation FDM" in rows[0].reason
    assert "nouvelle@example.org" in rows[1].reason
    assert not cohort.trainees.exists()
    assert not Enrolment.objects.filter(course=advanced).exists()
    assert not User.objects.filter(email="nouvelle@example.org").exists()

    # The instructor's page shows the report row by row, in French.
    client.login(email=instructor.email, password=PASSWORD)
    upload = SimpleUploadedFile("trainees.csv", data.encode(), "text/csv")
    response = client.post(reverse("practicals:cohorts:import", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 400
    html = response.text
    assert "n’a pas terminé les cours préalables" in html
    assert other_trainee.email in html and "nouvelle@example.org" in html
    assert not cohort.trainees.exists()

    # Only the trainee who is ready: imported and enrolled.
    data = f"full name,email\nPrête,{trainee.email}\n"
    services.cohort_import_csv(by=instructor, cohort=cohort, data=data.encode(), base_url="x")
    assert Enrolment.objects.get(user=trainee, course=advanced).prerequisites_checked


def test_the_cohort_admin_refuses_a_trainee_missing_a_prerequisite_and_enrols_the_others(
    client, cohort, advanced, course, farm, instructor, trainee, other_trainee, offline_printer
):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    client.login(email=instructor.email, password=PASSWORD)
    form = {
        "name": "Session admin",
        "farm": farm.pk,
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-15",
        "courses": [advanced.pk],
        "instructors": [instructor.pk],
        "trainees": [trainee.pk, other_trainee.pk],
    }
    response = client.post(f"{COHORTS_ADMIN}add/", form)
    assert response.status_code == 200
    assert other_trainee.email in response.text
    assert "n’a pas terminé les cours préalables" in response.text
    assert not Cohort.objects.filter(name="Session admin").exists()

    response = client.post(f"{COHORTS_ADMIN}add/", {**form, "trainees": [trainee.pk]})
    assert response.status_code == 302
    created = Cohort.objects.get(name="Session admin")
    assert list(created.trainees.all()) == [trainee]
    assert Enrolment.objects.get(user=trainee, course=advanced).prerequisites_checked


def test_an_enrolment_written_around_the_service_does_not_open_a_locked_course(
    client, advanced, course, instructor, trainee, offline_printer
):
    # Some other path (an old import, a script) wrote the row without the check.
    Enrolment.objects.create(user=trainee, course=advanced)
    lesson = steps_of(advanced)[0]
    client.force_login(trainee)
    response = client.get(lesson.url)
    assert response.status_code == 302 and response.url == advanced.url
    assert "Terminez d’abord ces cours" in client.get(advanced.url).text
    with pytest.raises(Exception) as denied:
        course_services.lesson_complete(user=trainee, lesson=lesson)
    assert denied.type.__name__ == "NotEnrolled"
    assert not LessonCompletion.objects.filter(user=trainee).exists()
    with pytest.raises(PrerequisitesMissing):
        course_services.enrolment_create(user=trainee, course=advanced)
    assert advanced.pk not in _dashboard_course_ids(trainee)

    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    assert client.get(lesson.url).status_code == 200
    assert advanced.pk in _dashboard_course_ids(trainee)
    course_services.enrolment_create(user=trainee, course=advanced)
    assert Enrolment.objects.get(user=trainee, course=advanced).prerequisites_checked


def test_an_enrolment_made_by_the_service_survives_a_prerequisite_added_later(
    client, course, trainee
):
    later = course_build(title="Ferme avancée")
    course_services.enrolment_create(user=trainee, course=later)
    later.prerequisites.add(course)
    later.save_revision().publish()
    client.force_login(trainee)
    assert client.get(steps_of(later)[0].url).status_code == 200


def test_the_migration_marks_enrolments_only_where_no_prerequisite_could_be_skipped(
    advanced, course, trainee
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("courses.migrations.0007_enrolment_prerequisites_checked")
    plain = Enrolment.objects.create(user=trainee, course=course)
    behind = Enrolment.objects.create(user=trainee, course=advanced)
    migration.mark_enrolments_without_prerequisites(apps, None)
    plain.refresh_from_db()
    behind.refresh_from_db()
    assert plain.prerequisites_checked and not behind.prerequisites_checked


def _dashboard_course_ids(trainee) -> set[int]:
    """The courses the trainee's dashboard lists."""
    from lms.dashboard import dashboard_context

    return {o.course.pk for o in dashboard_context(user=trainee)["outlines"]}
