"""A printer withdrawn from booking hands on its bookings to come (issue 11, Booking).

Disabled by a manager in the admin, or taken out of booking by usage-triggered maintenance:
each booking to come moves to another able printer free at the same time, else is
cancelled; it is recorded, and the trainee is told in their language. On PostgreSQL (the
exclusion constraint over the time range stands behind every move).
"""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from lms.roles import FARM_MANAGER
from practicals.models import (
    Booking,
    BookingEvent,
    BookingMail,
    Downtime,
    Farm,
    PrintAttempt,
    Printer,
)
from practicals.services import booking_create, booking_mail_send, printers_usage_check
from tests.fixtures.courses import PASSWORD, _person
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PRINTERS = "/admin/snippets/practicals/printer/"


def _at(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS).astimezone(dt.UTC)


def _printer(farm, name):
    return Printer.objects.create(
        farm=farm, name=name, octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


def _send_all():
    for pk in BookingMail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        booking_mail_send(mail_id=pk)


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


@pytest.fixture
def setting(farm, course, trainee, other_trainee):
    """P1 (to withdraw) and P2; on P1, in two days: the trainee (in English) at 10:00, the
    other trainee at 14:00, when P2 is blocked; and a slot under way with a print started."""
    # Runs on SQLite and on PostgreSQL (CI).
    now = timezone.now()
    day = (now + dt.timedelta(days=2)).astimezone(PARIS).date()
    p1, p2 = _printer(farm, "P1"), _printer(farm, "P2")
    practical = theory_complete(course=course, user=trainee)
    other = theory_complete(course=course, user=other_trainee)
    with translation.override("en"):
        moving = booking_create(
            user=trainee, practical=practical, printer=p1, starts_at=_at(day, 10), now=now
        )
    cancelled = booking_create(
        user=other_trainee, practical=other, printer=p1, starts_at=_at(day, 14), now=now
    )
    Downtime.objects.create(
        farm=farm,
        printer=p2,
        kind=Downtime.Kind.BLOCKED,
        starts_at=_at(day, 14),
        ends_at=_at(day, 15),
        reason="Démonstration",
    )
    under_way = Booking.objects.create(
        trainee=trainee,
        printer=p1,
        practical=practical,
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(minutes=50),
    )
    PrintAttempt.objects.create(
        booking=under_way,
        trainee=trainee,
        printer=p1,
        practical=practical,
        filename="cube.gcode",
        state=PrintAttempt.State.PRINTING,
    )
    BookingMail.objects.all().delete()  # the confirmations: not what these tests are about
    return {
        "p1": p1,
        "p2": p2,
        "day": day,
        "moving": moving,
        "cancelled": cancelled,
        "under_way": under_way,
    }


def _admin_form(printer, **extra):
    return {
        "farm": printer.farm_id,
        "name": printer.name,
        "model_name": "Prusa MK4",
        "octoprint_url": printer.octoprint_url,
        "api_key": "",
        "build_x": printer.build_x,
        "build_y": printer.build_y,
        "build_z": printer.build_z,
        "nozzle_diameter": str(printer.nozzle_diameter),
        "material": printer.material_id,
        **extra,
    }


def test_disabling_a_printer_moves_each_booking_to_come_or_cancels_it_and_tells_the_trainee(
    client, manager, setting, trainee, other_trainee
):
    p1, p2, day = setting["p1"], setting["p2"], setting["day"]
    client.force_login(manager)
    response = client.post(f"{PRINTERS}edit/{p1.pk}/", _admin_form(p1))  # "enabled" unticked
    assert response.status_code == 302, response.text[:2000]
    p1.refresh_from_db()
    assert not p1.enabled

    moving, cancelled, under_way = (
        Booking.objects.get(pk=setting[k].pk) for k in ("moving", "cancelled", "under_way")
    )
    # Another able printer, free at the same time: the trainee keeps their time.
    assert (moving.printer, moving.starts_at, moving.ends_at) == (p2, _at(day, 10), _at(day, 11))
    assert moving.status == Booking.Status.CONFIRMED
    # P2 is blocked at 14:00 and no other printer is free then: cancelled.
    assert (cancelled.printer, cancelled.status) == (p1, Booking.Status.CANCELLED)
    # A print has started: left as it is.
    assert (under_way.printer, under_way.status) == (p1, Booking.Status.CONFIRMED)
    for booking, status in ((moving, "confirmed"), (cancelled, "cancelled")):
        event = BookingEvent.objects.get(booking=booking, reason__contains="withdrawn")
        assert (event.by, event.to_status) == (manager, status)
        assert "disabled" in event.reason
    assert not BookingEvent.objects.filter(booking=under_way).exists()

    _send_all()
    by_address = {m.to[0]: m for m in mail.outbox}
    english, french = by_address[trainee.email], by_address[other_trainee.email]
    assert english.subject.startswith("Your slot was moved")
    assert "taken out of service by the farm" in english.body
    assert "10:00 – 11:00" in english.body and "P2" in english.body
    assert french.subject.startswith("Votre créneau a été annulé")
    assert "mise hors service par la ferme" in french.body
    assert len(mail.outbox) == 2

    # Saved again while disabled: nothing left to move, nobody told twice.
    client.post(f"{PRINTERS}edit/{p1.pk}/", _admin_form(p1, name="P1 bis"))
    _send_all()
    assert len(mail.outbox) == 2
    assert BookingEvent.objects.filter(reason__contains="withdrawn").count() == 2


def test_usage_triggered_withdrawal_hands_on_the_bookings_of_the_flagged_printer(
    farm, setting, trainee, other_trainee
):
    farm.service_after_failures = 1
    farm.withdraw_when_service_due = True
    farm.save()
    p1, p2 = setting["p1"], setting["p2"]
    PrintAttempt.objects.filter(booking=setting["under_way"]).update(
        state=PrintAttempt.State.FAILED, ended_at=timezone.now()
    )
    assert printers_usage_check() == [p1.pk]

    moving = Booking.objects.get(pk=setting["moving"].pk)
    cancelled = Booking.objects.get(pk=setting["cancelled"].pk)
    assert (moving.printer, moving.starts_at) == (p2, setting["moving"].starts_at)
    assert cancelled.status == Booking.Status.CANCELLED
    assert BookingEvent.objects.filter(reason__contains="service_due").count() == 2
    _send_all()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "due for servicing after its hours of use" in by_address[trainee.email].body
    assert "à entretenir après ses heures d’utilisation" in by_address[other_trainee.email].body
    assert printers_usage_check() == []  # flagged once, told once
    _send_all()
    assert len(mail.outbox) == 2


def test_a_farm_that_does_not_withdraw_due_printers_keeps_their_bookings(farm, setting, trainee):
    farm.service_after_failures = 1
    farm.save()
    p1 = setting["p1"]
    PrintAttempt.objects.filter(booking=setting["under_way"]).update(
        state=PrintAttempt.State.FAILED, ended_at=timezone.now()
    )
    assert printers_usage_check() == [p1.pk]
    assert Booking.objects.get(pk=setting["moving"].pk).printer == p1
    assert Booking.objects.get(pk=setting["cancelled"].pk).status == Booking.Status.CONFIRMED
    assert not BookingMail.objects.exists()


def test_a_farm_starting_to_withdraw_due_printers_hands_on_their_bookings(
    client, farm, manager, setting
):
    p1 = setting["p1"]
    Printer.objects.filter(pk=p1.pk).update(service_due_since=timezone.now())
    hours = list(farm.opening_hours.all())
    data = {
        "name": farm.name,
        "address": "",
        "timezone": "Europe/Paris",
        "booking_window_days": str(farm.booking_window_days),
        "min_notice_minutes": str(farm.min_notice_minutes),
        "max_active_bookings": str(farm.max_active_bookings),
        "cancel_until_hours": str(farm.cancel_until_hours),
        "no_show_minutes": str(farm.no_show_minutes),
        "service_after_print_hours": "0",
        "service_after_failures": "0",
        "withdraw_when_service_due": "on",
        "opening_hours-TOTAL_FORMS": str(len(hours)),
        "opening_hours-INITIAL_FORMS": str(len(hours)),
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "closures-TOTAL_FORMS": "0",
        "closures-INITIAL_FORMS": "0",
        "closures-MIN_NUM_FORMS": "0",
        "closures-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(hours):
        data.update(
            {
                f"opening_hours-{i}-id": str(row.pk),
                f"opening_hours-{i}-weekday": str(row.weekday),
                f"opening_hours-{i}-opens_at": "00:00",
                f"opening_hours-{i}-closes_at": "00:00",
                f"opening_hours-{i}-ORDER": str(i + 1),
                f"opening_hours-{i}-DELETE": "",
            }
        )
    client.force_login(manager)
    response = client.post(f"/admin/snippets/practicals/farm/edit/{farm.pk}/", data)
    assert response.status_code == 302, response.text[:3000]
    farm.refresh_from_db()
    assert farm.withdraw_when_service_due
    assert Booking.objects.get(pk=setting["moving"].pk).printer == setting["p2"]
    assert Booking.objects.get(pk=setting["cancelled"].pk).status == Booking.Status.CANCELLED
    assert BookingEvent.objects.filter(reason__contains="service_due").count() == 2
