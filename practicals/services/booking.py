"""Booking printer time: booking a slot of the grid (see `practicals.slots`), cancelling.

The farm's rules (booking window, minimum notice, active bookings per trainee, cancelling
until N hours before) are checked here, inside one transaction that first locks the
trainee's row: a trainee's bookings are serialised, so twenty sent at once cannot get past
the limit together. The printer's row lock, then the database's own constraints (an
exclusion constraint over the time range on PostgreSQL), stop two trainees sharing a slot.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError
from courses.selectors import enrolment_exists

from .. import access
from ..exceptions import IllegalTransition, NotFarmStaff, PrerequisitesNotMet, SlotTaken
from ..models import (
    Booking,
    BookingEvent,
    BookingMail,
    Downtime,
    PracticalPage,
    Printer,
    downtimes_overlapping,
)
from ..selectors import prerequisites_missing
from ..slot_cache import free_times_cached
from ..slots import farm_openings, in_window, slot_bookable, slot_grid
from .maintenance import printer_withdrawn
from .notifications import booking_mail_queue


def _slot_end(
    *, practical: PracticalPage, printer: Printer, starts_at: dt.datetime, now: dt.datetime
) -> dt.datetime:
    """The end of the grid slot starting at `starts_at`, if the farm's rules let it be booked.

    Otherwise says why: already over, beyond the booking window, a closure day, outside the
    opening hours, not a start of the grid, or too short notice.
    """
    farm = printer.farm
    length = dt.timedelta(minutes=practical.slot_minutes)
    grid = {
        s: e
        for s, e in slot_grid(
            printer=printer,
            minutes=practical.slot_minutes,
            start_day=now.astimezone(farm.tzinfo).date(),
            days=farm.booking_window_days + 1,  # one more, to say why it is refused
        )
    }
    ends_at = grid.get(starts_at)
    if (ends_at or starts_at + length) <= now:
        raise AtelierError(_("This slot is already over: choose a slot to come."))
    if not in_window(farm=farm, starts_at=starts_at, now=now):
        raise AtelierError(
            _("Slots can be booked at most %(days)d days ahead.")
            % {"days": farm.booking_window_days}
        )
    if ends_at is None:
        day = starts_at.astimezone(farm.tzinfo).date()
        closure = farm.closures.filter(starts_on__lte=day, ends_on__gte=day).first()
        if closure is not None:
            raise AtelierError(
                _("The farm is closed that day (%(reason)s).") % {"reason": closure.reason}
            )
        if not any(
            opens <= starts_at and starts_at + length <= closes
            for opens, closes in farm_openings(farm=farm, day=day)
        ):
            raise AtelierError(_("This slot is outside the farm's opening hours."))
        raise AtelierError(_("This slot does not exist: choose one in the list."))
    if not slot_bookable(farm=farm, starts_at=starts_at, ends_at=ends_at, now=now):
        raise AtelierError(
            _("Slots must be booked at least %(minutes)d minutes ahead.")
            % {"minutes": farm.min_notice_minutes}
        )
    return ends_at


def _printer_available(*, printer: Printer, starts_at, ends_at) -> None:
    """Refuse a printer withdrawn for maintenance, and time it is unavailable."""
    if printer_withdrawn(printer=printer):
        raise AtelierError(
            _("This printer is due for maintenance and cannot be booked until it is serviced.")
        )
    downtime = (
        downtimes_overlapping(printers=[printer], starts_at=starts_at, ends_at=ends_at)
        .order_by("-kind", "starts_at")  # a maintenance window first
        .first()
    )
    if downtime is None:
        return
    facts = {
        "reason": downtime.reason,
        "start": _local(downtime.starts_at, printer.farm),
        "end": _local(downtime.ends_at, printer.farm),
    }
    if downtime.kind == Downtime.Kind.MAINTENANCE:
        raise AtelierError(
            _(
                "This slot overlaps a maintenance window (%(reason)s) from %(start)s to "
                "%(end)s. Choose another slot."
            )
            % facts
        )
    raise AtelierError(
        _(
            "This printer is unavailable from %(start)s to %(end)s (%(reason)s). "
            "Choose another slot."
        )
        % facts
    )


def _local(moment: dt.datetime, farm) -> str:
    local = timezone.localtime(moment, farm.tzinfo)
    return f"{formats.date_format(local, 'j N')} {formats.time_format(local, 'H:i')}"


def _printer_free(*, printer: Printer, starts_at, ends_at, exclude: int | None = None) -> None:
    """Lock the printer's row, then refuse if a confirmed booking overlaps (SlotTaken)."""
    # Serialise bookings of one printer: on PostgreSQL the row lock makes the overlap
    # check and the write one step; on SQLite the IMMEDIATE transaction does.
    Printer.objects.select_for_update().get(pk=printer.pk)
    if (
        Booking.objects.filter(
            printer=printer,
            status=Booking.Status.CONFIRMED,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(pk=exclude)
        .exists()
    ):
        raise SlotTaken()


@transaction.atomic
def booking_create(
    *,
    user,
    practical: PracticalPage,
    printer: Printer,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
    by=None,
) -> Booking:
    """Book a slot for `user`, by themselves or (`by`) by a manager or instructor of the
    printer's farm, who may book before the trainee has finished the lessons before it.

    A confirmation e-mail with the `.ics` goes to the trainee once the booking is committed.
    """
    now = now or timezone.now()
    for_trainee = by is not None and by.pk != user.pk
    if for_trainee and not access.farms_staffed_by(user=by).filter(pk=printer.farm_id).exists():
        raise NotFarmStaff()
    # Serialise this trainee's bookings (a row lock on PostgreSQL; SQLite's IMMEDIATE
    # transactions already serialise every write).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if not enrolment_exists(user=user, course=practical.course()):
        raise PrerequisitesNotMet(
            _("This trainee is not enrolled in the course.")
            if for_trainee
            else _("Enrol in the course first.")
        )
    if not for_trainee and prerequisites_missing(practical=practical, user=user):
        raise PrerequisitesNotMet()
    if not practical.printers_able(Printer.objects.filter(pk=printer.pk)).exists():
        raise AtelierError(_("This printer is not available for this practical."))
    farm = printer.farm
    ends_at = _slot_end(practical=practical, printer=printer, starts_at=starts_at, now=now)
    active = Booking.objects.filter(
        trainee=user, printer__farm=farm, status=Booking.Status.CONFIRMED, ends_at__gt=now
    ).count()
    if active >= farm.max_active_bookings:
        raise AtelierError(
            _(
                "You already hold the most upcoming bookings allowed at this farm "
                "(%(count)d). Cancel one to book another."
            )
            % {"count": active}
        )
    if Booking.objects.filter(
        trainee=user, practical=practical, status=Booking.Status.CONFIRMED, ends_at__gt=now
    ).exists():
        raise AtelierError(
            _("This trainee already has a booking for this practical.")
            if for_trainee
            else _(
                "You already have a booking for this practical. Cancel it to choose another slot."
            )
        )

    _printer_free(printer=printer, starts_at=starts_at, ends_at=ends_at)
    _printer_available(printer=printer, starts_at=starts_at, ends_at=ends_at)
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                trainee=user,
                printer=printer,
                practical=practical,
                starts_at=starts_at,
                ends_at=ends_at,
                booked_by=by if for_trainee else None,
                # The trainee's language, for the e-mails (unknown when staff book).
                language="" if for_trainee else (translation.get_language() or "")[:8],
            )
    except IntegrityError:
        raise SlotTaken() from None
    BookingEvent.objects.create(booking=booking, to_status=booking.status, by=by or user)
    booking_mail_queue(booking=booking, kind=BookingMail.Kind.CONFIRMED)
    return booking


def booking_create_at_farm(
    *,
    user,
    practical: PracticalPage,
    printer: Printer,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Booking:
    """Book `starts_at` at `printer`'s farm: `printer` (the first free one when the page
    was shown) or, when it was just taken, another printer of the farm able to run the
    practical and free then. The page offers a time at a farm, not a printer, so a
    trainee is told the slot was taken only when no printer of the farm is left."""
    tried = set()
    while True:
        try:
            return booking_create(
                user=user, practical=practical, printer=printer, starts_at=starts_at, now=now
            )
        except SlotTaken:
            tried.add(printer.pk)
            # The cached free times are renewed by the booking that took it (on commit).
            other = next(
                (
                    free.pk
                    for time in free_times_cached(practical=practical, now=now)
                    if time.farm.pk == printer.farm_id and time.starts_at == starts_at
                    for free in time.printers
                    if free.pk not in tried
                ),
                None,
            )
            if other is None:
                raise
            printer = Printer.objects.select_related("farm").get(pk=other)


def _changeable(*, user, booking: Booking, now: dt.datetime, moving: bool = False) -> None:
    """The trainee's own confirmed booking, not over, until N hours before, no print yet."""
    if booking.trainee_id != user.pk:
        raise IllegalTransition(_("This booking is not yours."))
    if booking.status != Booking.Status.CONFIRMED or booking.ends_at <= now:
        raise IllegalTransition(
            _("This booking can no longer be moved.")
            if moving
            else _("This booking can no longer be cancelled.")
        )
    hours = booking.printer.farm.cancel_until_hours
    if hours and now > booking.starts_at - dt.timedelta(hours=hours):
        raise IllegalTransition(
            _("Bookings can be cancelled or moved until %(hours)d hours before they start.")
            % {"hours": hours}
        )
    if booking.attempts.filter(state__in=["queued", "printing"]).exists():
        raise IllegalTransition(_("A print is running in this slot: cancel the print first."))
    if booking.attempts.exists():
        raise IllegalTransition(_("A print was started in this slot: it can no longer be changed."))


@transaction.atomic
def booking_cancel(*, user, booking: Booking, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("printer__farm").get(pk=booking.pk)
    _changeable(user=user, booking=booking, now=now)
    previous = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    BookingEvent.objects.create(
        booking=booking, from_status=previous, to_status=booking.status, by=user
    )
    return booking


@transaction.atomic
def booking_move(
    *,
    user,
    booking: Booking,
    printer: Printer,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> Booking:
    """Move the trainee's booking to another free slot (on any printer able to run it).

    The same rules as cancelling (until N hours before, no print started) and as booking
    (the new slot on the grid, in the window, with the notice, free). The booking keeps its
    row; a history row records the move. Nothing changes if any check fails.
    """
    now = now or timezone.now()
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    booking = Booking.objects.select_for_update().select_related("printer__farm").get(pk=booking.pk)
    _changeable(user=user, booking=booking, now=now, moving=True)
    practical = booking.practical
    if not practical.printers_able(Printer.objects.filter(pk=printer.pk)).exists():
        raise AtelierError(_("This printer is not available for this practical."))
    if printer.pk == booking.printer_id and starts_at == booking.starts_at:
        raise AtelierError(_("Your booking is already in this slot."))
    ends_at = _slot_end(practical=practical, printer=printer, starts_at=starts_at, now=now)
    if printer.farm_id != booking.printer.farm_id:
        active = Booking.objects.filter(
            trainee=user,
            printer__farm=printer.farm,
            status=Booking.Status.CONFIRMED,
            ends_at__gt=now,
        ).count()
        if active >= printer.farm.max_active_bookings:
            raise AtelierError(
                _(
                    "You already hold the most upcoming bookings allowed at this farm "
                    "(%(count)d). Cancel one to book another."
                )
                % {"count": active}
            )
    _printer_free(printer=printer, starts_at=starts_at, ends_at=ends_at, exclude=booking.pk)
    _printer_available(printer=printer, starts_at=starts_at, ends_at=ends_at)
    booking.printer, booking.starts_at, booking.ends_at = printer, starts_at, ends_at
    try:
        with transaction.atomic():
            booking.save(update_fields=["printer", "starts_at", "ends_at"])
    except IntegrityError:
        raise SlotTaken() from None
    BookingEvent.objects.create(
        booking=booking, from_status=booking.status, to_status=booking.status, by=user
    )
    return booking
