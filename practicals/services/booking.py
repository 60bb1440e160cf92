"""Booking printer time: booking a slot of the grid (see `practicals.slots`), cancelling."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError
from courses.selectors import enrolment_exists

from ..exceptions import IllegalTransition, PrerequisitesNotMet, SlotTaken
from ..models import Booking, BookingEvent, PracticalPage, Printer
from ..selectors import prerequisites_missing
from ..slots import BOOKING_WINDOW_DAYS, slot_grid


@transaction.atomic
def booking_create(
    *,
    user,
    practical: PracticalPage,
    printer: Printer,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Booking:
    now = now or timezone.now()
    if not enrolment_exists(user=user, course=practical.course()):
        raise PrerequisitesNotMet(_("Enrol in the course first."))
    if prerequisites_missing(practical=practical, user=user):
        raise PrerequisitesNotMet()
    if not printer.enabled:
        raise AtelierError(_("This printer is not available for booking."))

    grid = {
        s: e
        for s, e in slot_grid(
            printer=printer,
            minutes=practical.slot_minutes,
            start_day=now.astimezone(printer.farm.tzinfo).date(),
            days=BOOKING_WINDOW_DAYS,
        )
    }
    ends_at = grid.get(starts_at)
    if ends_at is None or ends_at <= now:
        raise AtelierError(_("This slot does not exist or is already over."))
    if Booking.objects.filter(
        trainee=user, practical=practical, status=Booking.Status.CONFIRMED, ends_at__gt=now
    ).exists():
        raise AtelierError(
            _("You already have a booking for this practical. Cancel it to choose another slot.")
        )

    # Serialise bookings of one printer: on PostgreSQL the row lock makes the overlap
    # check and the insert one step; on SQLite the IMMEDIATE transaction does.
    Printer.objects.select_for_update().get(pk=printer.pk)
    if Booking.objects.filter(
        printer=printer,
        status=Booking.Status.CONFIRMED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists():
        raise SlotTaken()
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                trainee=user,
                printer=printer,
                practical=practical,
                starts_at=starts_at,
                ends_at=ends_at,
            )
    except IntegrityError:
        raise SlotTaken() from None
    BookingEvent.objects.create(booking=booking, to_status=booking.status, by=user)
    return booking


@transaction.atomic
def booking_cancel(*, user, booking: Booking, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.trainee_id != user.pk:
        raise IllegalTransition(_("This booking is not yours."))
    if booking.status != Booking.Status.CONFIRMED or booking.ends_at <= now:
        raise IllegalTransition(_("This booking can no longer be cancelled."))
    if booking.attempts.filter(state__in=["queued", "printing"]).exists():
        raise IllegalTransition(_("A print is running in this slot: cancel the print first."))
    previous = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    BookingEvent.objects.create(
        booking=booking, from_status=previous, to_status=booking.status, by=user
    )
    return booking
