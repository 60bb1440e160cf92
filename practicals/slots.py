"""The slot grid and the free slots of the printers.

Slots lie on a grid per practical: from each opening of the farm (its opening hours for
that weekday, in the farm's time zone, none on a closure day), every `slot_minutes` of real
time; they are stored in UTC. Stepping in UTC keeps every slot exactly `slot_minutes` long
on daylight-saving days. A slot already under way can still be booked until it ends (a
trainee at the farm can start at once).
"""

import bisect
import datetime as dt
from typing import NamedTuple

from django.db import connections
from django.db.models import Q
from django.utils import timezone

from .models import Booking, Downtime, Farm, PracticalPage, Printer, printers_in_service

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


def _rows(queryset):
    """The rows of a `values_list` of (id, datetime, datetime), converted cheaply.

    Django's per-value converters cost most of the time for thousands of bookings on
    SQLite, which hands back naive UTC (text or datetimes); PostgreSQL, aware datetimes.
    """
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and isinstance(rows[0][1], str):
        parse = dt.datetime.fromisoformat
        rows = [(pk, parse(s), parse(e)) for pk, s, e in rows]
    if rows and rows[0][1].tzinfo is None:  # naive UTC (USE_TZ), as SQLite stores it
        utc = dt.UTC
        rows = [(pk, s.replace(tzinfo=utc), e.replace(tzinfo=utc)) for pk, s, e in rows]
    return rows


class FreeTime(NamedTuple):
    """One start time of a farm's grid with the printers free then (by name)."""

    farm: Farm
    starts_at: dt.datetime
    ends_at: dt.datetime
    printers: list[Printer]


def _farm_grid(*, farm: Farm, minutes: int, now: dt.datetime, days: int):
    """The farm's bookable slots (window, notice, not over) as two sorted lists."""
    today = now.astimezone(farm.tzinfo).date()
    window = min(days, farm.booking_window_days)
    notice = now + dt.timedelta(minutes=farm.min_notice_minutes)
    length = dt.timedelta(minutes=minutes)
    starts, ends = [], []
    for offset in range(window):
        for opens, closes in farm_openings(farm=farm, day=today + dt.timedelta(days=offset)):
            start = opens
            while start + length <= closes:
                end = start + length
                if end > now and (not farm.min_notice_minutes or start >= notice):
                    starts.append(start)
                    ends.append(end)
                start = end
    return starts, ends


def able_printers_by_farm(
    *, practical: PracticalPage
) -> tuple[dict[int, Farm], dict[int, list[Printer]]]:
    """The farms (with their hours and closures) and, per farm, the printers able to run
    the practical and in service, by name. Four queries (none without a printer)."""
    # Only what the page shows (not the API key, whose decryption is costly), and each farm
    # loaded once with its hours rather than once per printer.
    printers = sorted(
        printers_in_service(practical.printers_able(Printer.objects.all())).only("name", "farm_id"),
        key=lambda p: p.name,
    )
    if not printers:
        return {}, {}
    farms: dict[int, Farm] = {
        farm.pk: farm
        for farm in Farm.objects.filter(pk__in={p.farm_id for p in printers}).prefetch_related(
            "opening_hours", "closures"
        )
    }
    by_farm: dict[int, list[Printer]] = {}
    for printer in printers:
        printer.farm = farms[printer.farm_id]
        by_farm.setdefault(printer.farm_id, []).append(printer)
    return farms, by_farm


def free_times(
    *, practical: PracticalPage, now: dt.datetime | None = None, days: int | None = None
) -> list[FreeTime]:
    """The free start times of the printers able to run the practical, soonest first.

    Six queries in all (printers, farms, opening hours, closures, the range's bookings and
    unavailable times: blocked time and maintenance windows count as busy). Each
    farm's grid is computed once; each booking marks the grid slots it overlaps (found by
    bisection, the grid being sorted), so the cost grows with slots plus bookings, not
    with slots times bookings. `days` caps each farm's own booking window.
    """
    farms, by_farm = able_printers_by_farm(practical=practical)
    return free_times_of(practical=practical, farms=farms, by_farm=by_farm, now=now, days=days)


def free_times_of(
    *,
    practical: PracticalPage,
    farms: dict[int, Farm],
    by_farm: dict[int, list[Printer]],
    now: dt.datetime | None = None,
    days: int | None = None,
) -> list[FreeTime]:
    """`free_times` for printers already loaded (`able_printers_by_farm`): two queries."""
    if not farms:
        return []
    now = now or timezone.now()
    printers = [p for farm_printers in by_farm.values() for p in farm_printers]
    longest = max(farm.booking_window_days for farm in farms.values())
    days = min(days, longest) if days else longest
    grids = {
        pk: _farm_grid(farm=farm, minutes=practical.slot_minutes, now=now, days=days)
        for pk, farm in farms.items()
    }
    busy: dict[int, list[set[int]]] = {pk: [set() for _ in grids[pk][0]] for pk in farms}
    farm_of = {p.pk: p.farm_id for p in printers}
    horizon = now + dt.timedelta(days=days + 1)
    for printer_id, starts_at, ends_at in _rows(
        Booking.objects.filter(
            printer__in=[p.pk for p in printers],
            status=Booking.Status.CONFIRMED,
            ends_at__gt=now,
            starts_at__lt=horizon,
        ).values_list("printer_id", "starts_at", "ends_at")
    ):
        farm_id = farm_of[printer_id]
        starts, ends = grids[farm_id]
        marks = busy[farm_id]
        index = bisect.bisect_right(ends, starts_at)  # the first slot ending after it starts
        while index < len(starts) and starts[index] < ends_at:
            marks[index].add(printer_id)
            index += 1

    for farm_id, printer_id, starts_at, ends_at in Downtime.objects.filter(
        Q(printer__in=[p.pk for p in printers]) | Q(printer__isnull=True, farm__in=list(farms)),
        ends_at__gt=now,
        starts_at__lt=horizon,
    ).values_list("farm_id", "printer_id", "starts_at", "ends_at"):
        starts, ends = grids[farm_id]
        marks = busy[farm_id]
        who = [printer_id] if printer_id else [p.pk for p in by_farm[farm_id]]
        index = bisect.bisect_right(ends, starts_at)
        while index < len(starts) and starts[index] < ends_at:
            marks[index].update(who)
            index += 1

    times = []
    for farm_id, farm in farms.items():
        starts, ends = grids[farm_id]
        available = by_farm[farm_id]
        for index, taken in enumerate(busy[farm_id]):
            free = [p for p in available if p.pk not in taken] if taken else available
            if free:
                times.append(FreeTime(farm, starts[index], ends[index], free))
    if len(farms) > 1:
        times.sort(key=lambda t: (t.starts_at, t.farm.name))
    return times


def slots_free(
    *, practical: PracticalPage, now: dt.datetime | None = None, days: int | None = None
) -> list[Slot]:
    """Every free slot of every printer able to run the practical, soonest first."""
    slots = [
        Slot(printer, t.starts_at, t.ends_at)
        for t in free_times(practical=practical, now=now, days=days)
        for printer in t.printers
    ]
    if len({s.printer.farm_id for s in slots}) > 1:
        slots.sort(key=lambda slot: (slot[1], slot[0].name))
    return slots
