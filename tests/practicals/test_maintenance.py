"""Maintenance: windows that move or cancel the bookings they hit and tell the trainees,
bookings refused over a window, and usage-triggered maintenance (flagged after N print
hours or M failures, withdrawn from booking if the farm says so, until marked serviced)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import translation

from courses.exceptions import AtelierError
from lms.roles import FARM_MANAGER
from practicals.exceptions import NotFarmStaff
from practicals.models import (
    Booking,
    BookingEvent,
    BookingMail,
    Downtime,
    Farm,
    OpeningHours,
    PrintAttempt,
    Printer,
    PrinterService,
)
from practicals.services import (
    booking_create,
    booking_mail_send,
    downtime_create,
    printer_mark_serviced,
    printers_usage_check,
)
from practicals.slots import free_times
from tests.fixtures.courses import PASSWORD, _person
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)  # Sunday 13:00 in Paris
MONDAY = dt.date(2026, 11, 30)


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS).astimezone(dt.UTC)


def _printer(farm, name):
    return Printer.objects.create(
        farm=farm, name=name, octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


@pytest.fixture
def manager(db):
    return _person(
        email="gerante@example.org", full_name="Inès Gérante", role=FARM_MANAGER, password=PASSWORD
    )


@pytest.fixture
def farm(db, manager):
    farm = farm_open_always(Farm.objects.create(name="Ferme", booking_window_days=5))
    farm.managers.add(manager)
    return farm


def _send_all():
    for pk in BookingMail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        booking_mail_send(mail_id=pk)


def test_a_maintenance_window_moves_the_bookings_it_hits_and_tells_each_trainee(
    farm, manager, course, trainee, other_trainee
):
    p1, p2 = _printer(farm, "P1"), _printer(farm, "P2")
    practical = theory_complete(course=course, user=trainee)
    other = theory_complete(course=course, user=other_trainee)
    with translation.override("en"):  # this trainee uses the site in English
        first = booking_create(
            user=trainee, practical=practical, printer=p1, starts_at=_at(MONDAY, 10), now=NOW
        )
    second = booking_create(
        user=other_trainee, practical=other, printer=p2, starts_at=_at(MONDAY, 10), now=NOW
    )
    BookingMail.objects.all().delete()  # the confirmations: not what this test is about

    result = downtime_create(
        by=manager,
        farm=farm,
        kind=Downtime.Kind.MAINTENANCE,
        starts_at=_at(MONDAY, 9),
        ends_at=_at(MONDAY, 12),
        reason="Graissage des axes",
        now=NOW,
    )
    assert {b.pk for b in result.moved} == {first.pk, second.pk} and not result.cancelled
    first.refresh_from_db()
    second.refresh_from_db()
    # The next free slot of a printer able to run it, from the booking's own start on.
    assert (first.starts_at, first.ends_at) == (_at(MONDAY, 12), _at(MONDAY, 13))
    assert (second.starts_at, second.printer) == (_at(MONDAY, 12), p2)
    assert first.status == second.status == Booking.Status.CONFIRMED
    assert BookingEvent.objects.filter(booking=first, reason__contains="Graissage").count() == 1

    _send_all()
    by_address = {m.to[0]: m for m in mail.outbox}
    english, french = by_address[trainee.email], by_address[other_trainee.email]
    assert english.subject.startswith("Your slot was moved")
    assert "Graissage des axes" in english.body and "12:00" in english.body
    assert french.subject.startswith("Votre créneau a été déplacé")
    assert "lundi 30 novembre 2026, 12:00 – 13:00" in french.body
    assert french.attachments[0][0].endswith(".ics")
    _send_all()
    assert len(mail.outbox) == 2  # sent once


def test_a_maintenance_window_cancels_a_booking_with_no_free_slot_left(
    db, manager, course, trainee
):
    farm = Farm.objects.create(name="Petite ferme", booking_window_days=7)
    farm.managers.add(manager)
    OpeningHours.objects.create(farm=farm, weekday=0, opens_at=dt.time(9), closes_at=dt.time(12))
    printer = _printer(farm, "P1")
    practical = theory_complete(course=course, user=trainee)
    booking = booking_create(
        user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
    )
    result = downtime_create(
        by=manager,
        farm=farm,
        printer=printer,
        kind=Downtime.Kind.MAINTENANCE,
        starts_at=_at(MONDAY, 9),
        ends_at=_at(MONDAY, 12),
        reason="Changement de buse",
        now=NOW,
    )
    assert [b.pk for b in result.cancelled] == [booking.pk]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    _send_all()
    cancelled = [m for m in mail.outbox if "annulé" in m.subject]
    assert len(cancelled) == 1 and "Changement de buse" in cancelled[0].body


def test_a_booking_whose_print_started_is_left_alone(farm, manager, course, trainee):
    printer = _printer(farm, "P1")
    practical = theory_complete(course=course, user=trainee)
    booking = booking_create(
        user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
    )
    PrintAttempt.objects.create(
        booking=booking, trainee=trainee, printer=printer, practical=practical, filename="a.gcode"
    )
    result = downtime_create(
        by=manager,
        farm=farm,
        kind=Downtime.Kind.MAINTENANCE,
        starts_at=_at(MONDAY, 10),
        ends_at=_at(MONDAY, 11),
        reason="Révision",
        now=NOW,
    )
    assert [b.pk for b in result.kept] == [booking.pk] and not result.moved
    booking.refresh_from_db()
    assert booking.starts_at == _at(MONDAY, 10) and booking.status == Booking.Status.CONFIRMED


def test_booking_over_a_maintenance_window_is_refused_and_nothing_is_saved(
    farm, manager, course, trainee
):
    printer = _printer(farm, "P1")
    practical = theory_complete(course=course, user=trainee)
    downtime_create(
        by=manager,
        farm=farm,
        kind=Downtime.Kind.MAINTENANCE,
        starts_at=_at(MONDAY, 9),
        ends_at=_at(MONDAY, 11),
        reason="Calibration",
        now=NOW,
    )
    # Not offered ...
    offered = {t.starts_at for t in free_times(practical=practical, now=NOW)}
    assert _at(MONDAY, 9) not in offered and _at(MONDAY, 10) not in offered
    assert _at(MONDAY, 11) in offered
    # ... and refused if sent anyway.
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
        )
    assert "chevauche une maintenance (Calibration)" in str(error.value.message)
    assert "30 nov. 09:00" in str(error.value.message)
    assert not Booking.objects.exists() and not BookingMail.objects.exists()


def test_only_the_farms_managers_open_a_maintenance_window(farm, instructor, course, trainee):
    farm.instructors.add(instructor)
    printer = _printer(farm, "P1")
    outsider = _person(
        email="autre@example.org", full_name="Autre Gérant", role=FARM_MANAGER, password=PASSWORD
    )
    Farm.objects.create(name="Autre").managers.add(outsider)
    for user in (instructor, outsider):
        with pytest.raises(NotFarmStaff):
            downtime_create(
                by=user,
                farm=farm,
                printer=printer,
                kind=Downtime.Kind.MAINTENANCE,
                starts_at=_at(MONDAY, 9),
                ends_at=_at(MONDAY, 11),
                reason="x",
                now=NOW,
            )
    assert not Downtime.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends", "reason", "text"),
    [
        (11, 9, "Révision", "après le début"),
        (9, 11, "   ", "motif"),
    ],
)
def test_bad_windows_are_refused_with_a_message(farm, manager, starts, ends, reason, text):
    printer = _printer(farm, "P1")
    with pytest.raises(AtelierError) as error:
        downtime_create(
            by=manager,
            farm=farm,
            printer=printer,
            kind=Downtime.Kind.MAINTENANCE,
            starts_at=_at(MONDAY, starts),
            ends_at=_at(MONDAY, ends),
            reason=reason,
            now=NOW,
        )
    assert text in str(error.value.message)
    assert not Downtime.objects.exists()


def _attempt(printer, trainee, practical, *, state, seconds, ended_at):
    booking = Booking.objects.create(
        trainee=trainee,
        printer=printer,
        practical=practical,
        starts_at=ended_at - dt.timedelta(hours=3),
        ends_at=ended_at - dt.timedelta(hours=2),
        status=Booking.Status.CANCELLED,
    )
    return PrintAttempt.objects.create(
        booking=booking,
        trainee=trainee,
        printer=printer,
        practical=practical,
        filename="x.gcode",
        state=state,
        print_time_s=seconds,
        ended_at=ended_at,
    )


def test_failures_flag_a_printer_which_is_withdrawn_until_a_manager_marks_it_serviced(
    farm, manager, instructor, course, trainee
):
    farm.service_after_failures = 2
    farm.withdraw_when_service_due = True
    farm.save()
    farm.instructors.add(instructor)
    printer, spare = _printer(farm, "P1"), _printer(farm, "P2")
    practical = theory_complete(course=course, user=trainee)
    failed = PrintAttempt.State.FAILED
    _attempt(printer, trainee, practical, state=failed, seconds=600, ended_at=NOW)
    assert printers_usage_check(now=NOW) == []
    _attempt(printer, trainee, practical, state=failed, seconds=600, ended_at=NOW)
    assert printers_usage_check(now=NOW) == [printer.pk]
    assert printers_usage_check(now=NOW) == []  # flagged once
    printer.refresh_from_db()
    assert printer.service_due_since == NOW and str(printer.service_state()) == "entretien à faire"

    # Withdrawn: not offered, and refused with a message.
    offered = {p.pk for t in free_times(practical=practical, now=NOW) for p in t.printers}
    assert offered == {spare.pk}
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
        )
    assert "doit être entretenue" in str(error.value.message)
    assert not Booking.objects.filter(status=Booking.Status.CONFIRMED).exists()

    # An instructor cannot mark it serviced; the farm's manager can, and it is recorded.
    with pytest.raises(NotFarmStaff):
        printer_mark_serviced(by=instructor, printer=printer)
    later = NOW + dt.timedelta(hours=1)
    service = printer_mark_serviced(by=manager, printer=printer, now=later)
    assert (service.by, service.at, service.failures) == (manager, later, 2)
    printer.refresh_from_db()
    assert printer.service_due_since is None and printer.serviced_at == later
    assert PrinterService.objects.filter(printer=printer).count() == 1
    booking_create(
        user=trainee, practical=practical, printer=printer, starts_at=_at(MONDAY, 10), now=NOW
    )
    # The counters start again from the service.
    assert printers_usage_check(now=later) == []


def test_print_hours_flag_with_the_printers_own_threshold_and_no_withdrawal(farm, course, trainee):
    farm.service_after_print_hours = 100
    farm.save()
    printer, other = _printer(farm, "P1"), _printer(farm, "P2")
    printer.service_after_print_hours = 2
    printer.save()
    practical = theory_complete(course=course, user=trainee)
    done = PrintAttempt.State.COMPLETED
    for p in (printer, other):
        _attempt(p, trainee, practical, state=done, seconds=3600, ended_at=NOW)
        _attempt(p, trainee, practical, state=done, seconds=3700, ended_at=NOW)
    assert printers_usage_check(now=NOW) == [printer.pk]
    # The farm does not withdraw printers due for maintenance: still offered.
    offered = {p.pk for t in free_times(practical=practical, now=NOW) for p in t.printers}
    assert printer.pk in offered


def test_the_admin_printer_list_shows_maintenance_due_and_the_manager_marks_it_serviced(
    client, farm, manager
):
    due, fine = _printer(farm, "P1"), _printer(farm, "P2")
    Printer.objects.filter(pk=due.pk).update(service_due_since=NOW)
    client.force_login(manager)
    listing = client.get("/admin/snippets/practicals/printer/").text
    assert listing.count("entretien à faire") == 1 and listing.count("à jour") >= 1
    assert "Marquer entretenue" in listing
    schedule = client.get(f"/practicals/farms/{farm.pk}/schedule/").text
    assert f"/practicals/printers/{due.pk}/serviced/" in schedule
    assert f"/practicals/printers/{fine.pk}/serviced/" not in schedule
    response = client.post(f"/practicals/printers/{due.pk}/serviced/", follow=True)
    assert "P1 est marquée entretenue." in response.text
    service = PrinterService.objects.get(printer=due)
    assert service.by == manager
    due.refresh_from_db()
    assert due.service_due_since is None and due.serviced_at == service.at
