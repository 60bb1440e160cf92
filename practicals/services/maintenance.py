"""Unavailable printer time and maintenance.

- Blocked time: farm staff (managers and instructors of the farm) block a period on one
  printer, with a reason; it is refused if bookings already fall in it.
- Maintenance windows: a farm's managers take one printer, or the whole farm, out for a
  period with a reason. Each booking the window hits moves to the next free slot of the
  same farm able to run its practical, from its own start on; with none, it is cancelled.
  A booking whose print has started is left alone. Trainees are told by e-mail.
- Usage-triggered maintenance: after N print hours or M failed prints since the last
  service (thresholds on the printer, else the farm), the printer is flagged as due; the
  farm decides whether it is withdrawn from booking until a manager marks it serviced.
- A printer withdrawn (disabled by a manager, or taken out of booking by usage-triggered
  maintenance) hands on its bookings to come: each moves to another printer of the farm
  able to run its practical and free at the same time; with none, it is cancelled. Same
  path as a maintenance window (`_booking_relocate`): an event row, an e-mail.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError

from .. import access
from ..exceptions import NotFarmStaff
from ..models import (
    Booking,
    BookingEvent,
    BookingMail,
    Downtime,
    Farm,
    PrintAttempt,
    Printer,
    PrinterService,
    downtimes_overlapping,
    printers_in_service,
)
from ..slot_cache import slots_invalidate
from ..slots import free_times
from .notifications import booking_mail_queue, trainee_language


@dataclass
class DowntimeResult:
    downtime: Downtime
    moved: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # a print had started: left as it is


def _local(moment: dt.datetime, farm: Farm) -> str:
    local = timezone.localtime(moment, farm.tzinfo)
    return f"{formats.date_format(local, 'l j F')}, {formats.time_format(local, 'H:i')}"


def _next_slot(*, booking: Booking, now: dt.datetime):
    """The first free slot of the booking's farm able to run its practical, from its start."""
    not_before = max(booking.starts_at, now)
    for time in free_times(practical=booking.practical, now=now):
        if time.farm.pk == booking.printer.farm_id and time.starts_at >= not_before:
            return time.printers[0], time.starts_at, time.ends_at
    return None


@transaction.atomic
def downtime_create(
    *,
    by,
    farm: Farm,
    kind: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
    printer: Printer | None = None,
    now: dt.datetime | None = None,
) -> DowntimeResult:
    now = now or timezone.now()
    maintenance = kind == Downtime.Kind.MAINTENANCE
    scope = access.farms_managed_by if maintenance else access.farms_staffed_by
    if not scope(user=by).filter(pk=farm.pk).exists():
        raise NotFarmStaff()
    if printer is not None and printer.farm_id != farm.pk:
        raise NotFarmStaff()
    reason = (reason or "").strip()
    if not reason:
        raise AtelierError(_("Give a reason: trainees are shown it."))
    if kind not in Downtime.Kind.values:
        raise AtelierError(_("Choose blocked time or maintenance."))
    if printer is None and not maintenance:
        raise AtelierError(_("Choose the printer to block."))
    if ends_at <= starts_at:
        raise AtelierError(_("The end must come after the start."))
    if ends_at <= now:
        raise AtelierError(_("This period is already over."))

    printers = [printer] if printer else list(farm.printers.all())
    # Serialise with bookings of these printers (booking_create locks the printer's row).
    list(Printer.objects.select_for_update().filter(pk__in=[p.pk for p in printers]))
    hit = list(
        Booking.objects.filter(
            printer__in=printers,
            status=Booking.Status.CONFIRMED,
            starts_at__lt=ends_at,
            ends_at__gt=max(starts_at, now),
        )
        .select_related("printer__farm", "practical", "trainee")
        .order_by("starts_at", "pk")
    )
    if hit and not maintenance:
        raise AtelierError(
            _(
                "%(count)d booking(s) fall in this period. Cancel them first, or create a "
                "maintenance window, which moves them."
            )
            % {"count": len(hit)}
        )
    downtime = Downtime.objects.create(
        farm=farm,
        printer=printer,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=by,
    )
    result = DowntimeResult(downtime=downtime)
    for booking in hit:
        if PrintAttempt.objects.filter(booking=booking).exists():
            result.kept.append(booking)
            continue
        moved = _booking_relocate(
            booking=booking,
            slot=_next_slot(booking=booking, now=now),
            by=by,
            record=f"maintenance {downtime.pk}: {reason}",
            mail_key=f"downtime-{downtime.pk}",
            params={"reason": reason},
        )
        (result.moved if moved else result.cancelled).append(booking)
    return result


def _booking_relocate(
    *, booking: Booking, slot, by, record: str, mail_key: str, params: dict
) -> bool:
    """Move `booking` to `slot` (printer, start, end), or cancel it when `slot` is None;
    record the change and queue the e-mail that tells the trainee. True when moved."""
    farm = booking.printer.farm
    with translation.override(trainee_language(booking=booking)):
        params = {**params, "before": _local(booking.starts_at, farm)}
    if slot is None:
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status"])
        kind_of_mail = BookingMail.Kind.CANCELLED
    else:
        booking.printer, booking.starts_at, booking.ends_at = slot
        booking.save(update_fields=["printer", "starts_at", "ends_at"])
        kind_of_mail = BookingMail.Kind.MOVED
    BookingEvent.objects.create(
        booking=booking,
        from_status=Booking.Status.CONFIRMED,
        to_status=booking.status,
        by=by,
        reason=record[:200],
    )
    booking_mail_queue(booking=booking, kind=kind_of_mail, key=mail_key, params=params)
    return slot is not None


# Printers withdrawn from booking ---------------------------------------------------------


class Withdrawal:
    """Why a printer stops taking bookings (a code: the e-mail says it in the reader's
    language, `notifications._content`)."""

    DISABLED = "disabled"  # a manager switched it off
    SERVICE_DUE = "service_due"  # usage-triggered maintenance, at a farm that withdraws


@dataclass
class WithdrawalResult:
    moved: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # a print had started: left as it is


def _same_time_printer(*, booking: Booking, away_from: Printer) -> Printer | None:
    """Another printer of the booking's farm able to run its practical, bookable, and free
    (no booking, no downtime) over the booking's own time; its row locked."""
    candidates = booking.practical.printers_able(
        printers_in_service(Printer.objects.filter(farm_id=away_from.farm_id))
    ).exclude(pk=away_from.pk)
    for candidate in (
        Printer.objects.select_for_update()
        .filter(pk__in=candidates.values("pk"))
        .order_by("name", "pk")
    ):
        busy = (
            Booking.objects.filter(
                printer=candidate,
                status=Booking.Status.CONFIRMED,
                starts_at__lt=booking.ends_at,
                ends_at__gt=booking.starts_at,
            ).exists()
            or downtimes_overlapping(
                printers=[candidate], starts_at=booking.starts_at, ends_at=booking.ends_at
            ).exists()
        )
        if not busy:
            return candidate
    return None


@transaction.atomic
def printer_withdraw_bookings(
    *, printer: Printer, cause: str, by=None, now: dt.datetime | None = None
) -> WithdrawalResult:
    """Hand on the bookings to come of a printer that no longer takes bookings.

    Each confirmed booking not yet over and with no print started moves to another able
    printer free at the same time (the trainee keeps the time they planned), else is
    cancelled; either way it is recorded and the trainee is told. Called by whatever
    withdraws the printer (the admin form that disables it, the usage sweep); a second
    call finds nothing left to move.
    """
    now = now or timezone.now()
    Printer.objects.select_for_update().filter(pk=printer.pk).first()
    result = WithdrawalResult()
    hit = (
        Booking.objects.filter(printer=printer, status=Booking.Status.CONFIRMED, ends_at__gt=now)
        .select_related("printer__farm", "practical", "trainee")
        .order_by("starts_at", "pk")
    )
    stamp = now.strftime("%Y%m%d%H%M%S")
    for booking in hit:
        if PrintAttempt.objects.filter(booking=booking).exists():
            result.kept.append(booking)
            continue
        other = _same_time_printer(booking=booking, away_from=printer)
        slot = None if other is None else (other, booking.starts_at, booking.ends_at)
        moved = _booking_relocate(
            booking=booking,
            slot=slot,
            by=by,
            record=f"printer {printer.pk} withdrawn: {cause}",
            mail_key=f"withdrawn-{printer.pk}-{stamp}",
            params={"cause": cause},
        )
        (result.moved if moved else result.cancelled).append(booking)
    return result


@transaction.atomic
def downtime_delete(*, by, downtime: Downtime) -> None:
    """Give the time back: blocked time by the farm's staff, a maintenance window by its
    managers. Bookings a window moved or cancelled stay as they are (the trainees were told)."""
    maintenance = downtime.kind == Downtime.Kind.MAINTENANCE
    scope = access.farms_managed_by if maintenance else access.farms_staffed_by
    if not scope(user=by).filter(pk=downtime.farm_id).exists():
        raise NotFarmStaff()
    downtime.delete()


# Usage-triggered maintenance ------------------------------------------------------------


def _since_service():
    return Q(attempts__ended_at__gt=F("serviced_at")) | Q(serviced_at__isnull=True)


def _with_usage(printers):
    since = _since_service()
    return printers.annotate(
        used_s=Sum("attempts__print_time_s", filter=since),
        failed=Count("attempts", filter=since & Q(attempts__state=PrintAttempt.State.FAILED)),
    )


def printer_usage(*, printer: Printer) -> tuple[float, int]:
    """Print hours and failed prints since the printer's last service."""
    row = _with_usage(Printer.objects.filter(pk=printer.pk)).values("used_s", "failed").get()
    return (row["used_s"] or 0) / 3600, row["failed"]


def _thresholds(printer: Printer) -> tuple[int, int]:
    farm = printer.farm
    hours = printer.service_after_print_hours
    failures = printer.service_after_failures
    return (
        farm.service_after_print_hours if hours is None else hours,
        farm.service_after_failures if failures is None else failures,
    )


def printers_usage_check(*, now: dt.datetime | None = None) -> list[int]:
    """Flag as due each printer past a threshold since its last service; their ids."""
    now = now or timezone.now()
    flagged = []
    candidates = _with_usage(
        Printer.objects.filter(service_due_since__isnull=True).select_related("farm")
    )
    for printer in candidates:
        hours, failures = _thresholds(printer)
        used_h = (printer.used_s or 0) / 3600
        due = (hours and used_h >= hours) or (failures and printer.failed >= failures)
        # Only if still not flagged (another sweep may have done it meanwhile).
        if due and Printer.objects.filter(pk=printer.pk, service_due_since__isnull=True).update(
            service_due_since=now
        ):
            flagged.append(printer.pk)
            if printer.farm.withdraw_when_service_due:
                printer_withdraw_bookings(printer=printer, cause=Withdrawal.SERVICE_DUE, now=now)
    if flagged:  # an update, not a save: no signal (a withdrawn printer is not offered)
        slots_invalidate(fleet=True)
    return flagged


def printer_withdrawn(*, printer: Printer) -> bool:
    """Due for maintenance at a farm that withdraws such printers from booking."""
    return printer.service_due_since is not None and printer.farm.withdraw_when_service_due


@transaction.atomic
def printer_mark_serviced(
    *, by, printer: Printer, note: str = "", now: dt.datetime | None = None
) -> PrinterService:
    """A manager of the printer's farm records a service: the usage counters start again."""
    now = now or timezone.now()
    if not access.printers_managed_by(user=by).filter(pk=printer.pk).exists():
        raise NotFarmStaff()
    printer = Printer.objects.select_for_update().get(pk=printer.pk)
    hours, failures = printer_usage(printer=printer)
    service = PrinterService.objects.create(
        printer=printer, by=by, at=now, print_hours=round(hours, 2), failures=failures, note=note
    )
    printer.serviced_at = now
    printer.service_due_since = None
    printer.save(update_fields=["serviced_at", "service_due_since"])
    return service
