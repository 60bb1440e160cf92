"""Each person's language, kept on their account (the switcher, sign-up) and used for what
is written outside their requests: booking e-mails and certificates (tasks), invitations."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation

from certificates.services import certificate_issue, certificate_notify
from practicals.cohorts import services as cohort_services
from practicals.models import BookingMail, Cohort, Farm, Printer
from practicals.services import booking_create, booking_mail_send, bookings_remind
from tests.fixtures.courses import PASSWORD
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import practical_passed, theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
User = get_user_model()


def _send_all():
    for pk in BookingMail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        booking_mail_send(mail_id=pk)


def test_the_switcher_keeps_a_signed_in_persons_choice(client, trainee):
    assert trainee.language == ""
    client.force_login(trainee)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.language == "en"
    assert client.get("/").headers["Content-Language"] == "en"
    # A language the site does not offer changes nothing.
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    trainee.refresh_from_db()
    assert trainee.language == "en"
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    trainee.refresh_from_db()
    assert trainee.language == "fr"


def test_the_switcher_still_works_for_anonymous_visitors(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").headers["Content-Language"] == "en"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_up_keeps_the_language_of_the_page(client, db, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Léa Dupont",
            "email": "lea@example.org",
            "password1": "x9!kLm#27pQ",
            "password2": "x9!kLm#27pQ",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="lea@example.org").language == language


@pytest.fixture
def printer(db):
    farm = farm_open_always(Farm.objects.create(name="Ferme", booking_window_days=7))
    return Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


def test_a_trainee_who_chose_english_receives_the_reminder_in_english(
    client, printer, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    start = (timezone.now() + dt.timedelta(days=3)).astimezone(PARIS)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    with translation.override("fr"):  # booked while the site was in French
        booking = booking_create(
            user=trainee, practical=practical, printer=printer, starts_at=start
        )
    assert booking.language == "fr"
    client.force_login(trainee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # then chose English

    assert bookings_remind(now=start - dt.timedelta(hours=23)) == [booking.pk]
    with translation.override("fr"):  # the worker's own language does not matter
        _send_all()
    reminder = next(m for m in mail.outbox if "10:00" in m.subject)
    assert reminder.subject.startswith("Reminder: your slot")
    assert "Start your print within the first minutes of the slot" in reminder.body
    confirmation = next(m for m in mail.outbox if m is not reminder)
    assert confirmation.subject.startswith("Your slot is booked")


def test_a_trainee_who_never_chose_gets_the_language_they_booked_in(printer, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    start = (timezone.now() + dt.timedelta(days=3)).astimezone(PARIS)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    with translation.override("en"):
        booking_create(user=trainee, practical=practical, printer=printer, starts_at=start)
    _send_all()
    assert mail.outbox[0].subject.startswith("Your slot is booked")


def test_the_certificate_and_its_e_mail_are_in_the_holders_chosen_language(
    course, trainee, instructor, offline_printer, mailoutbox
):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    User.objects.filter(pk=trainee.pk).update(language="en")
    trainee.refresh_from_db()
    with translation.override("fr"):  # issued by a worker, or after an instructor's grade
        certificate = certificate_issue(user=trainee, course=course)
        assert certificate.language == "en"
        assert certificate_notify(certificate=certificate) is True
    assert mailoutbox[0].subject == "Your certificate: Initiation FDM"


def test_a_certificate_of_someone_who_never_chose_stays_french(
    course, trainee, instructor, offline_printer
):
    practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)
    with translation.override("en"):
        assert certificate_issue(user=trainee, course=course).language == "fr"


def test_an_invitation_is_written_in_the_invited_persons_language(
    printer, course, instructor, trainee, django_capture_on_commit_callbacks
):
    printer.farm.instructors.add(instructor)
    cohort = Cohort.objects.create(
        name="Session",
        farm=printer.farm,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 5),
    )
    cohort.courses.add(course)
    cohort.instructors.add(instructor)
    User.objects.filter(pk=trainee.pk).update(language="en")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        cohort_services.cohort_invite(
            by=instructor, cohort=cohort, email=trainee.email, base_url="http://t/"
        )
    assert mail.outbox[-1].subject == "[Atelier] Your invitation: Session"


def test_signing_in_on_a_new_browser_brings_back_the_accounts_language(client, trainee):
    User.objects.filter(pk=trainee.pk).update(language="en")
    response = client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    page = client.get("/dashboard/")
    assert page["Content-Language"] == "en"
    assert "<h1>Hello " in page.content.decode()


def test_signing_in_keeps_the_browser_language_when_the_account_never_chose(client, trainee):
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"login": trainee.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert client.get("/dashboard/")["Content-Language"] == "en"
