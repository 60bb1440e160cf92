"""Booking e-mails: the confirmation with its `.ics`, a reminder before the slot (once), and
the no-show release (once); the services directly, then beat's sweep and the e-mail task
end to end on a real Celery worker."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from practicals.models import Booking, BookingEvent, BookingMail, Farm, PrintAttempt, Printer
from practicals.services import (
    booking_create,
    booking_mail_send,
    bookings_release_no_shows,
    bookings_remind,
)
from practicals.slots import free_times
from practicals.tasks import bookings_sweep_task
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete
from tests.waiting import wait_for

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)  # Sunday 13:00 in Paris
MONDAY_10 = dt.datetime(2026, 11, 30, 10, tzinfo=PARIS).astimezone(dt.UTC)


@pytest.fixture
def printer(db):
    farm = farm_open_always(
        Farm.objects.create(name="Ferme", booking_window_days=7, no_show_minutes=15)
    )
    return Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


def _book(**kwargs):
    """Booked at NOW (the day before), whatever the real date of the run."""
    booking = booking_create(**kwargs, now=NOW)
    Booking.objects.filter(pk=booking.pk).update(created_at=NOW)
    booking.refresh_from_db()
    return booking


def _send_all():
    for pk in BookingMail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        booking_mail_send(mail_id=pk)


def test_a_booking_is_confirmed_by_e_mail_with_its_ics_once(
    printer, course, trainee, django_capture_on_commit_callbacks
):
    practical = theory_complete(course=course, user=trainee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = booking_create(
            user=trainee, practical=practical, printer=printer, starts_at=MONDAY_10, now=NOW
        )
    # The e-mail task, enqueued once the booking is committed (with the free times' renewal).
    mails = [c for c in callbacks if "booking_mail_queue" in c.__qualname__]
    assert len(mails) == 1 and len(callbacks) == 2
    queued = BookingMail.objects.get(booking=booking)
    assert (queued.kind, queued.sent_at) == ("confirmed", None)

    assert booking_mail_send(mail_id=queued.pk) is True
    assert booking_mail_send(mail_id=queued.pk) is False  # a second run sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [trainee.email]
    assert message.subject == f"Votre créneau est réservé\u00a0: {practical.title}"
    assert "lundi 30 novembre 2026, 10:00 – 11:00" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"atelier-{booking.pk}.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == MONDAY_10
    assert event.decoded("dtend") == MONDAY_10 + dt.timedelta(hours=1)
    assert str(event["status"]) == "CONFIRMED"
    queued.refresh_from_db()
    assert queued.sent_at is not None


def test_the_reminder_goes_once_before_the_slot(printer, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    start = (timezone.now() + dt.timedelta(days=3)).astimezone(PARIS)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(dt.UTC)
    booking = booking_create(user=trainee, practical=practical, printer=printer, starts_at=start)
    assert bookings_remind(now=start - dt.timedelta(hours=30)) == []  # too early
    assert bookings_remind(now=start - dt.timedelta(hours=23)) == [booking.pk]
    assert bookings_remind(now=start - dt.timedelta(hours=22)) == []  # once
    _send_all()
    reminders = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert len(reminders) == 1 and "10:00 – 11:00" in reminders[0].subject
    assert BookingMail.objects.filter(booking=booking, kind="reminder").count() == 1


def test_no_reminder_for_a_booking_made_within_the_reminder_lead_time(printer, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=5)
    booking_create(user=trainee, practical=practical, printer=printer, starts_at=start)
    assert bookings_remind(now=timezone.now()) == []


def test_no_print_n_minutes_into_the_slot_releases_it_once(printer, course, trainee, other_trainee):
    practical = theory_complete(course=course, user=trainee)
    booking = _book(user=trainee, practical=practical, printer=printer, starts_at=MONDAY_10)
    assert bookings_release_no_shows(now=MONDAY_10 + dt.timedelta(minutes=14)) == []
    later = MONDAY_10 + dt.timedelta(minutes=16)
    assert bookings_release_no_shows(now=later) == [booking.pk]
    assert bookings_release_no_shows(now=later + dt.timedelta(minutes=1)) == []  # once
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    event = BookingEvent.objects.filter(booking=booking).last()
    assert (event.from_status, event.to_status) == ("confirmed", "no_show")
    assert "15 minutes" in event.reason
    # The slot is free again for someone else.
    other = theory_complete(course=course, user=other_trainee)
    assert MONDAY_10 in {t.starts_at for t in free_times(practical=other, now=later)}
    _send_all()
    no_show = [m for m in mail.outbox if "libéré" in m.subject]
    assert len(no_show) == 1 and "15 minutes" in no_show[0].body


def test_a_slot_booked_once_under_way_counts_from_the_booking(printer, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    booking = _book(user=trainee, practical=practical, printer=printer, starts_at=MONDAY_10)
    # Booked 30 minutes into the slot (it was free, the farm asks no notice).
    Booking.objects.filter(pk=booking.pk).update(created_at=MONDAY_10 + dt.timedelta(minutes=30))
    assert bookings_release_no_shows(now=MONDAY_10 + dt.timedelta(minutes=40)) == []
    assert bookings_release_no_shows(now=MONDAY_10 + dt.timedelta(minutes=46)) == [booking.pk]


def test_a_started_print_or_a_farm_without_the_rule_keeps_the_booking(printer, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    booking = _book(user=trainee, practical=practical, printer=printer, starts_at=MONDAY_10)
    PrintAttempt.objects.create(
        booking=booking, trainee=trainee, printer=printer, practical=practical, filename="a.gcode"
    )
    later = MONDAY_10 + dt.timedelta(minutes=30)
    assert bookings_release_no_shows(now=later) == []
    PrintAttempt.objects.all().delete()
    Farm.objects.update(no_show_minutes=0)
    assert bookings_release_no_shows(now=later) == []
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


# End to end on a real worker -------------------------------------------------------------


def test_worker_sends_the_confirmation_and_the_sweep_releases_a_no_show_once(
    celery_worker, printer, course, trainee
):
    practical = theory_complete(course=course, user=trainee)
    # Booked now (committed): the task goes on commit, the worker sends and records it.
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=2)
    booking = booking_create(user=trainee, practical=practical, printer=printer, starts_at=start)
    wait_for(
        lambda: BookingMail.objects.filter(booking=booking, sent_at__isnull=False).exists(),
        timeout=60,
        what="confirmation sent by the worker",
    )
    # A slot that began 20 minutes ago with no print: beat's sweep (run twice) releases it.
    Booking.objects.filter(pk=booking.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1),
        starts_at=timezone.now() - dt.timedelta(minutes=20),
        ends_at=timezone.now() + dt.timedelta(minutes=40),
    )
    bookings_sweep_task.delay()
    bookings_sweep_task.delay()
    wait_for(
        lambda: BookingMail.objects.filter(
            booking=booking, kind="no_show", sent_at__isnull=False
        ).exists(),
        timeout=60,
        what="no-show released and the trainee told by the worker",
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert BookingEvent.objects.filter(booking=booking, to_status="no_show").count() == 1
    assert BookingMail.objects.filter(booking=booking, kind="no_show").count() == 1


def test_a_released_booking_is_cancelled_in_the_calendar(printer, course, trainee):
    from practicals.calendar import calendar_ics

    practical = theory_complete(course=course, user=trainee)
    booking = _book(user=trainee, practical=practical, printer=printer, starts_at=MONDAY_10)
    bookings_release_no_shows(now=MONDAY_10 + dt.timedelta(minutes=20))
    booking.refresh_from_db()
    event = icalendar.Calendar.from_ical(calendar_ics(bookings=[booking], name="x"))
    assert str(event.walk("VEVENT")[0]["status"]) == "CANCELLED"
