"""The slot grid and the free slots of the printers.

Slots lie on a grid per practical: from each opening of the farm (its opening hours for
that weekday, in the farm's time zone, none on a closure day), every `slot_minutes` of real
time; they are stored in UTC. Stepping in UTC keeps every slot exactly `slot_minutes` long
on daylight-saving days. A slot already under way can still be booked until it ends (a
trainee at the farm can start at once).
"""

import datetime as dt
from typing import NamedTuple

from django.utils import timezone

from .models import Booking, Farm, PracticalPage, Printer

BOOKING_WINDOW_DAYS = 7


class Slot(NamedTuple):  # a tuple: thousands are made per request
    printer: Printer
    starts_at: dt.datetime
    ends_at: dt.datetime


def farm_openings(*, farm: Farm, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """When the farm is open on `day` (its local date), as UTC intervals; none if closed.

    Uses `farm.opening_hours` and `farm.closures` as prefetched by the caller, if they were.
    """
    if any(c.starts_on <= day <= c.ends_on for c in farm.closures.all()):
        return []
    tz = farm.tzinfo
    return sorted(
        hours.interval(day, tz)
        for hours in farm.opening_hours.all()
        if hours.weekday == day.weekday()
    )


def slot_grid(*, printer: Printer, minutes: int, start_day: dt.date, days: int):
    length = dt.timedelta(minutes=minutes)
    for offset in range(days):
        day = start_day + dt.timedelta(days=offset)
        for opens, closes in farm_openings(farm=printer.farm, day=day):
            start = opens
            while start + length <= closes:
                yield start, start + length
                start += length


def in_window(*, farm: Farm, starts_at: dt.datetime, now, days: int | None = None) -> bool:
    """Within the farm's booking window: today and the next `booking_window_days - 1` days."""
    tz = farm.tzinfo
    ahead = (starts_at.astimezone(tz).date() - now.astimezone(tz).date()).days
    return ahead < (days or farm.booking_window_days)


def slot_bookable(*, farm: Farm, starts_at: dt.datetime, ends_at: dt.datetime, now) -> bool:
    """The farm's rules: not over, the minimum notice, inside the booking window."""
    if ends_at <= now:
        return False
    if farm.min_notice_minutes and starts_at < now + dt.timedelta(minutes=farm.min_notice_minutes):
        return False
    return in_window(farm=farm, starts_at=starts_at, now=now)


def slots_free(
    *, practical: PracticalPage, now: dt.datetime | None = None, days: int | None = None
) -> list[Slot]:
    """Every free slot of every printer able to run the practical, soonest first.

    Three queries in all. `days` caps each farm's own booking window.
    """
    now = now or timezone.now()
    printers = list(
        practical.printers_able(Printer.objects.all())
        .select_related("farm")
        .prefetch_related("farm__opening_hours", "farm__closures")
    )
    longest = max((p.farm.booking_window_days for p in printers), default=BOOKING_WINDOW_DAYS)
    days = min(days, longest) if days else longest
    horizon = now + dt.timedelta(days=days + 1)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for printer_id, starts_at, ends_at in Booking.objects.filter(
        printer__in=printers,
        status=Booking.Status.CONFIRMED,
        ends_at__gt=now,
        starts_at__lt=horizon,
    ).values_list("printer_id", "starts_at", "ends_at"):
        busy.setdefault(printer_id, []).append((starts_at, ends_at))

    # Printers of one farm share its grid: compute it once per farm.
    grids: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    slots = []
    for printer in printers:
        farm = printer.farm
        grid = grids.get(farm.pk)
        if grid is None:
            today = now.astimezone(farm.tzinfo).date()
            window = min(days, farm.booking_window_days)
            grid = grids[farm.pk] = [
                (s, e)
                for s, e in slot_grid(
                    printer=printer, minutes=practical.slot_minutes, start_day=today, days=window
                )
                if slot_bookable(farm=farm, starts_at=s, ends_at=e, now=now)
            ]
        taken = busy.get(printer.pk)
        for starts_at, ends_at in grid:
            if taken and any(s < ends_at and starts_at < e for s, e in taken):
                continue
            slots.append(Slot(printer=printer, starts_at=starts_at, ends_at=ends_at))
    slots.sort(key=lambda slot: (slot[1], slot[0].name))
    return slots
