"""Cohorts: scoping, invitations, all-or-nothing CSV import, grid, inactivity, export."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses import services as course_services
from courses.activity import Verb, activity_record
from courses.models import Enrolment
from lms.roles import INSTRUCTOR
from practicals.cohorts import services
from practicals.cohorts.progress import cohort_export_rows, cohort_grid, cohort_inactive
from practicals.cohorts.selectors import cohorts_administered_by, cohorts_taught_by
from practicals.models import Cohort, Farm
from tests.fixtures.courses import PASSWORD, _person, steps_of

User = get_user_model()


@pytest.fixture
def cohort(farm, course, instructor, trainee):
    farm.instructors.add(instructor)
    cohort = Cohort.objects.create(
        name="Session de décembre",
        farm=farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 12),
    )
    cohort.courses.add(course)
    cohort.instructors.add(instructor)
    cohort.trainees.add(trainee)
    course_services.enrolment_create(user=trainee, course=course)
    return cohort


@pytest.fixture
def other_instructor(db):
    return _person(
        email="leo@example.org", full_name="Léo Garnier", password=PASSWORD, role=INSTRUCTOR
    )


@pytest.fixture
def other_cohort(course, other_instructor, other_trainee):
    farm = Farm.objects.create(name="Autre ferme", timezone="Europe/Paris")
    farm.instructors.add(other_instructor)
    cohort = Cohort.objects.create(
        name="Autre session",
        farm=farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 2),
    )
    cohort.courses.add(course)
    cohort.instructors.add(other_instructor)
    cohort.trainees.add(other_trainee)
    return cohort


def test_an_instructor_sees_only_their_own_cohorts(cohort, other_cohort, instructor, trainee):
    assert list(cohorts_taught_by(user=instructor)) == [cohort]
    assert list(cohorts_administered_by(user=instructor)) == [cohort]
    assert not cohorts_taught_by(user=trainee).exists()


def test_another_cohort_answers_404_on_every_page(client, cohort, other_cohort, instructor):
    client.login(email=instructor.email, password=PASSWORD)
    assert client.get(reverse("practicals:cohorts:detail", args=[cohort.pk])).status_code == 200
    for name in ("detail", "export_csv", "export_xlsx"):
        url = reverse(f"practicals:cohorts:{name}", args=[other_cohort.pk])
        assert client.get(url).status_code == 404
    url = reverse("practicals:cohorts:invite", args=[other_cohort.pk])
    assert client.post(url, {"email": "x@example.org"}).status_code == 404
    assert not User.objects.filter(email="x@example.org").exists()
    page = client.get(reverse("practicals:cohorts:list")).content.decode()
    assert "Session de décembre" in page and "Autre session" not in page


def test_invite_creates_enrols_and_mails_a_link(
    cohort, instructor, course, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.cohort_invite(
            by=instructor,
            cohort=cohort,
            email="lea@example.org",
            full_name="Léa Roux",
            base_url="https://atelier.test/",
        )
    assert user.full_name == "Léa Roux" and not user.has_usable_password()
    assert cohort.trainees.filter(pk=user.pk).exists()
    assert Enrolment.objects.filter(user=user, course=course).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lea@example.org"]
    assert "https://atelier.test/accounts/password/reset/key/" in mailoutbox[0].body
    # Inviting the same address again finds the same user.
    again = services.cohort_invite(
        by=instructor, cohort=cohort, email="LEA@example.org", base_url="https://atelier.test/"
    )
    assert again.pk == user.pk


def test_invite_refused_to_an_instructor_of_another_farm(cohort, other_instructor):
    with pytest.raises(services.CohortError):
        services.cohort_invite(
            by=other_instructor, cohort=cohort, email="z@example.org", base_url="http://t/"
        )
    assert not User.objects.filter(email="z@example.org").exists()


def test_csv_import_all_rows(cohort, instructor):
    data = "Nom complet;E-mail\nLéa Roux;lea@example.org\nHugo Blanc;hugo@example.org\n"
    users = services.cohort_import_csv(
        by=instructor, cohort=cohort, data=data.encode(), base_url="http://t/"
    )
    assert {u.email for u in users} == {"lea@example.org", "hugo@example.org"}
    assert cohort.trainees.count() == 3


def test_csv_with_bad_rows_imports_nothing_and_reports_lines(cohort, instructor):
    data = (
        "full name,email\n"
        "Léa Roux,lea@example.org\n"
        "Sans Adresse,pas-une-adresse\n"
        ",vide@example.org\n"
        "Léa Bis,LEA@example.org\n"
        "Trop,de,colonnes\n"
    )
    with pytest.raises(services.CsvRefused) as refused:
        services.cohort_import_csv(
            by=instructor, cohort=cohort, data=data.encode(), base_url="http://t/"
        )
    assert [r.line for r in refused.value.rejected] == [3, 4, 5, 6]
    assert not User.objects.filter(email="lea@example.org").exists()
    assert cohort.trainees.count() == 1


def test_a_10_mb_or_binary_csv_is_refused_in_french(client, cohort, instructor):
    client.login(email=instructor.email, password=PASSWORD)
    url = reverse("practicals:cohorts:import", args=[cohort.pk])
    big = io.BytesIO(b"Nom,a@example.org\n" * (10 * 1024 * 1024 // 18))
    big.name = "gros.csv"
    response = client.post(url, {"file": big}, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert response.status_code == 200
    assert "Le fichier est trop volumineux" in response.content.decode()
    binary = io.BytesIO(b"\x00\xff\xfe" * 100)
    binary.name = "image.csv"
    response = client.post(url, {"file": binary}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Rien n’a été importé" not in response.content.decode()
    assert "Le fichier n’est pas un texte lisible" in response.content.decode()
    rejected = io.BytesIO("Léa,lea@example.org\nBob,bob\n".encode())
    rejected.name = "liste.csv"
    response = client.post(url, {"file": rejected}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "Ligne 2" in response.content.decode()
    assert cohort.trainees.count() == 1


def test_grid_inactivity_and_export(client, cohort, course, trainee, instructor):
    lesson, quiz, *_ = steps_of(course)
    course_services.lesson_complete(user=trainee, lesson=lesson)
    (grid,) = cohort_grid(cohort=cohort)
    (row,) = grid.rows
    assert [(c.done, c.total, c.percent, c.status) for c in row.cells] == [
        (1, 2, 50, "started"),
        (0, 2, 0, "not_started"),
    ]
    assert row.total.percent == 25
    assert cohort_inactive(cohort=cohort, days=7) == []
    in_ten_days = timezone.now() + dt.timedelta(days=10)
    assert [t for t, _ in cohort_inactive(cohort=cohort, days=7, now=in_ten_days)] == [trainee]
    now = timezone.now()
    for minutes in (1, 7):  # a second view within 5 minutes is not recorded
        activity_record(
            user=trainee,
            verb=Verb.VIEWED,
            course=course,
            page=quiz,
            at=now + dt.timedelta(minutes=minutes),
        )
    (export,) = cohort_export_rows(cohort=cohort)
    assert export[:5] == [trainee.full_name, trainee.email, course.title, 25, 7]

    client.login(email=instructor.email, password=PASSWORD)
    response = client.get(reverse("practicals:cohorts:export_csv", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert trainee.email in response.content.decode("utf-8-sig")
    response = client.get(reverse("practicals:cohorts:export_xlsx", args=[cohort.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "full_name" and rows[1][1] == trainee.email and rows[1][3] == 25


COHORTS_ADMIN = "/admin/snippets/practicals/cohort/"


def test_admin_is_scoped_to_the_farms_one_staffs(
    client, cohort, other_cohort, instructor, farm, course, trainee
):
    client.login(email=instructor.email, password=PASSWORD)
    listing = client.get(COHORTS_ADMIN).content.decode()
    assert "Session de décembre" in listing and "Autre session" not in listing
    assert client.get(f"{COHORTS_ADMIN}edit/{other_cohort.pk}/").status_code == 404
    assert client.get(f"{COHORTS_ADMIN}edit/{cohort.pk}/").status_code == 200
    form = {
        "name": "Session de janvier",
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-15",
        "courses": [course.pk],
        "instructors": [instructor.pk],
        "trainees": [trainee.pk],
    }
    # Another farm is refused by the form, nothing is saved.
    response = client.post(f"{COHORTS_ADMIN}add/", {**form, "farm": other_cohort.farm.pk})
    assert response.status_code == 200
    assert not Cohort.objects.filter(name="Session de janvier").exists()
    response = client.post(f"{COHORTS_ADMIN}add/", {**form, "farm": farm.pk})
    assert response.status_code == 302
    created = Cohort.objects.get(name="Session de janvier")
    assert list(created.trainees.all()) == [trainee]
