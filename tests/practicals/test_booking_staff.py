"""Farm staff book for a trainee and block printer time; only staff of that farm can
(404 for anyone else), on the server, in the services and in the pages."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from courses.exceptions import AtelierError
from courses.services import enrolment_create
from lms.roles import FARM_MANAGER
from practicals.exceptions import NotFarmStaff
from practicals.models import Booking, BookingMail, Downtime, Farm, Printer
from practicals.services import booking_create, booking_mail_send, downtime_create
from practicals.slots import free_times
from tests.fixtures.courses import PASSWORD, _person, steps_of
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)  # Sunday 13:00 in Paris
MONDAY = dt.date(2026, 11, 30)


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS).astimezone(dt.UTC)


@pytest.fixture
def farm(db, instructor):
    farm = farm_open_always(Farm.objects.create(name="Ferme", booking_window_days=5))
    farm.instructors.add(instructor)
    return farm


@pytest.fixture
def printer(farm):
    return Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


@pytest.fixture
def outsider(db):
    """A manager of another farm."""
    user = _person(email="ailleurs@example.org", full_name="Paul Ailleurs", password=PASSWORD,
                   role=FARM_MANAGER)  # fmt: skip
    Farm.objects.create(name="Autre ferme").managers.add(user)
    return user


def test_an_instructor_of_the_farm_books_for_a_trainee(printer, instructor, course, trainee):
    # Enrolled, lessons not finished yet: the instructor's call.
    enrolment_create(user=trainee, course=course)
    practical = steps_of(course)[-1]
    booking = booking_create(
        user=trainee,
        practical=practical,
        printer=printer,
        starts_at=_at(MONDAY, 10),
        now=NOW,
        by=instructor,
    )
    assert (booking.trainee, booking.booked_by, booking.status) == (
        trainee,
        instructor,
        Booking.Status.CONFIRMED,
    )
    assert booking.events.get().by == instructor
    # The trainee gets the confirmation, in French (their language is not known).
    booking_mail_send(mail_id=BookingMail.objects.get(booking=booking, kind="confirmed").pk)
    assert mail.outbox[0].to == [trainee.email]
    assert mail.outbox[0].subject.startswith("Votre créneau est réservé")
    # The trainee's own rules still hold: one booking per practical.
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee,
            practical=practical,
            printer=printer,
            starts_at=_at(MONDAY, 12),
            now=NOW,
            by=instructor,
        )
    assert "a déjà une réservation" in str(error.value.message)


def test_staff_of_another_farm_cannot_book_or_block_here(
    printer, outsider, other_trainee, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    for user in (outsider, other_trainee):
        with pytest.raises(NotFarmStaff):
            booking_create(
                user=trainee,
                practical=practical,
                printer=printer,
                starts_at=_at(MONDAY, 10),
                now=NOW,
                by=user,
            )
        with pytest.raises(NotFarmStaff):
            downtime_create(
                by=user,
                farm=printer.farm,
                printer=printer,
                kind=Downtime.Kind.BLOCKED,
                starts_at=_at(MONDAY, 9),
                ends_at=_at(MONDAY, 11),
                reason="Démonstration",
                now=NOW,
            )
    assert not Booking.objects.exists() and not Downtime.objects.exists()


def test_blocked_time_shows_as_unavailable_and_refuses_bookings(
    printer, instructor, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    downtime_create(
        by=instructor,
        farm=printer.farm,
        printer=printer,
        kind=Downtime.Kind.BLOCKED,
        starts_at=_at(MONDAY, 9),
        ends_at=_at(MONDAY, 11),
        reason="Démonstration",
        now=NOW,
    )
    offered = {t.starts_at for t in free_times(practical=practical, now=NOW)}
    assert _at(MONDAY, 8) in offered and _at(MONDAY, 11) in offered
    assert _at(MONDAY, 9) not in offered and _at(MONDAY, 10) not in offered
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
        )
    assert "indisponible du 30 nov. 09:00 au 30 nov. 11:00 (Démonstration)" in str(
        error.value.message
    )
    assert not Booking.objects.exists()


def test_blocking_time_over_a_booking_is_refused_and_saves_nothing(
    printer, instructor, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    booking_create(
        user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
    )
    with pytest.raises(AtelierError) as error:
        downtime_create(
            by=instructor,
            farm=printer.farm,
            printer=printer,
            kind=Downtime.Kind.BLOCKED,
            starts_at=_at(MONDAY, 9),
            ends_at=_at(MONDAY, 12),
            reason="Démonstration",
            now=NOW,
        )
    assert "1 réservation(s) tombent dans cette période" in str(error.value.message)
    assert not Downtime.objects.exists()
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


# The pages ------------------------------------------------------------------------------


def test_the_schedule_page_is_the_farms_staff_only(client, printer, instructor, outsider, trainee):
    url = f"/practicals/farms/{printer.farm_id}/schedule/"
    for user in (trainee, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(f"/practicals/farms/{printer.farm_id}/book/", {}).status_code == 404
        assert (
            client.post(f"/practicals/farms/{printer.farm_id}/unavailable/", {}).status_code == 404
        )
        assert client.post(f"/practicals/printers/{printer.pk}/serviced/").status_code == 404
    client.force_login(instructor)
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    assert "Réserver pour un stagiaire" in html and "Bloquer du temps" in html
    # An instructor blocks time; maintenance windows and services are the managers'.
    assert 'value="maintenance"' not in html
    assert client.post(f"/practicals/printers/{printer.pk}/serviced/").status_code == 404


def test_an_instructor_books_for_a_trainee_from_the_page(
    client, printer, instructor, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    client.force_login(instructor)
    start = (dt.datetime.now(PARIS) + dt.timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    response = client.post(
        f"/practicals/farms/{printer.farm_id}/book/",
        {
            "trainee": trainee.email.upper(),
            "practical": practical.pk,
            "printer": printer.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),  # the farm's local time
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.starts_at == start and booking.booked_by == instructor
    # Bad input: a clear message, nothing saved.
    bad = client.post(
        f"/practicals/farms/{printer.farm_id}/book/",
        {
            "trainee": "personne@example.org",
            "practical": practical.pk,
            "printer": printer.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert bad.status_code == 400 and "Personne n’a cette adresse e-mail" in bad.text
    past = client.post(
        f"/practicals/farms/{printer.farm_id}/unavailable/",
        {
            "kind": "blocked",
            "printer": printer.pk,
            "starts_at": "2020-01-01T09:00",
            "ends_at": "2020-01-01T10:00",
            "reason": "Démonstration",
        },
    )
    assert past.status_code == 400 and "Cette période est déjà passée" in past.text
    assert Booking.objects.count() == 1 and not Downtime.objects.exists()


def test_a_manager_opens_a_maintenance_window_from_the_page(client, printer, course, trainee):
    manager = _person(email="gerante@example.org", full_name="Inès Gérante", password=PASSWORD,
                      role=FARM_MANAGER)  # fmt: skip
    printer.farm.managers.add(manager)
    client.force_login(manager)
    start = (dt.datetime.now(PARIS) + dt.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    response = client.post(
        f"/practicals/farms/{printer.farm_id}/unavailable/",
        {
            "kind": "maintenance",
            "printer": "",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Révision annuelle",
        },
        follow=True,
    )
    assert "Enregistré" in response.text and "Révision annuelle" in response.text
    downtime = Downtime.objects.get()
    assert downtime.printer is None and downtime.kind == "maintenance"
    assert downtime.starts_at == start and downtime.created_by == manager


def test_staff_free_blocked_time_and_only_managers_a_maintenance_window(
    client, printer, instructor, outsider
):
    manager = _person(email="gerante@example.org", full_name="Inès Gérante", password=PASSWORD,
                      role=FARM_MANAGER)  # fmt: skip
    printer.farm.managers.add(manager)
    monday = dt.datetime.now(PARIS).date() + dt.timedelta(days=1)
    windows = {
        kind: downtime_create(
            by=manager,
            farm=printer.farm,
            printer=printer,
            kind=kind,
            starts_at=dt.datetime.combine(monday, dt.time(hour), tzinfo=PARIS),
            ends_at=dt.datetime.combine(monday, dt.time(hour + 1), tzinfo=PARIS),
            reason="Réservé",
        ).downtime
        for kind, hour in ((Downtime.Kind.BLOCKED, 9), (Downtime.Kind.MAINTENANCE, 14))
    }
    blocked, maintenance = windows.values()
    client.force_login(outsider)
    assert client.post(f"/practicals/unavailable/{blocked.pk}/delete/").status_code == 404
    client.force_login(instructor)
    assert client.post(f"/practicals/unavailable/{maintenance.pk}/delete/").status_code == 404
    response = client.post(f"/practicals/unavailable/{blocked.pk}/delete/", follow=True)
    assert "Ce temps est de nouveau libre." in response.text
    assert list(Downtime.objects.all()) == [maintenance]
    client.force_login(manager)
    client.post(f"/practicals/unavailable/{maintenance.pk}/delete/")
    assert not Downtime.objects.exists()
