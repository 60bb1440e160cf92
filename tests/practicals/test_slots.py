"""Free slots computed fast: a fixed number of queries whatever the printers and bookings,
bookings of any length knocking out exactly the grid slots they overlap, and a booking page
that offers start times (the next few first, then day by day), not every printer × time."""

import datetime as dt
import zoneinfo

from django.utils import timezone

from practicals.models import Booking, Farm, OpeningHours, Printer
from practicals.selectors import NEXT_FREE, slots_by_day
from practicals.slots import free_times, slot_grid, slots_free
from tests.fixtures.practicals import pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)  # Sunday 13:00 in Paris
MONDAY = dt.date(2026, 11, 30)


def _farm(name, *, window=7, tz="Europe/Paris"):
    farm = Farm.objects.create(name=name, timezone=tz, booking_window_days=window)
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=d, opens_at=dt.time(9), closes_at=dt.time(17))
        for d in range(7)
    )
    return farm


def _printers(farm, count, prefix="P"):
    return Printer.objects.bulk_create(
        Printer(
            farm=farm,
            name=f"{prefix}{i:02d}",
            octoprint_url="http://192.0.2.1",
            api_key="x" * 43,
            material=pla(),
        )
        for i in range(count)
    )


def _at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS).astimezone(dt.UTC)


def test_free_slots_take_six_queries_whatever_the_printers_and_bookings(
    db, course, trainee, django_assert_num_queries
):
    practical = theory_complete(course=course, user=trainee)
    for name, count in (("A", 3), ("B", 30)):
        printers = _printers(_farm(name), count, prefix=name)
        Booking.objects.bulk_create(
            Booking(
                trainee=trainee,
                printer=p,
                practical=practical,
                starts_at=_at(MONDAY, 9 + i % 8),
                ends_at=_at(MONDAY, 10 + i % 8),
            )
            for i, p in enumerate(printers)
        )
        with django_assert_num_queries(6):  # printers, farms, hours, closures, bookings, downtimes
            times = free_times(practical=practical, now=NOW)
        assert times
    # Two farms: soonest first, then by farm name; each time lists its free printers by name.
    keys = [(t.starts_at, t.farm.name) for t in times]
    assert keys == sorted(keys)
    assert all([p.name for p in t.printers] == sorted(p.name for p in t.printers) for t in times)


def test_bookings_of_any_length_knock_out_exactly_the_slots_they_overlap(db, course, trainee):
    practical = theory_complete(course=course, user=trainee)  # 60-minute slots
    farm = _farm("F", window=3)
    p1, p2 = _printers(farm, 2)
    for printer, start, end in (
        (p1, _at(MONDAY, 10, 30), _at(MONDAY, 12)),  # 90 min: 10:00 and 11:00 gone
        (p1, _at(MONDAY, 14), _at(MONDAY, 15)),  # exactly 14:00
        (p2, _at(MONDAY, 8), _at(MONDAY, 9, 1)),  # from before opening: 09:00 gone
        (p2, _at(MONDAY, 16, 59), _at(MONDAY, 18)),  # till after closing: 16:00 gone
    ):
        Booking.objects.create(
            trainee=trainee, printer=printer, practical=practical, starts_at=start, ends_at=end
        )
    Booking.objects.create(  # a cancelled booking frees its slot
        trainee=trainee,
        printer=p2,
        practical=practical,
        starts_at=_at(MONDAY, 12),
        ends_at=_at(MONDAY, 13),
        status=Booking.Status.CANCELLED,
    )
    # The straightforward answer: every grid slot of each printer, minus the overlapped ones.
    expected = set()
    for printer in (p1, p2):
        taken = [
            (b.starts_at, b.ends_at)
            for b in Booking.objects.filter(printer=printer, status=Booking.Status.CONFIRMED)
        ]
        for s, e in slot_grid(printer=printer, minutes=60, start_day=NOW.date(), days=3):
            if e > NOW and not any(bs < e and s < be for bs, be in taken):
                expected.add((printer.pk, s))
    got = {(slot.printer.pk, slot.starts_at) for slot in slots_free(practical=practical, now=NOW)}
    assert got == expected
    monday_p1 = {
        s.astimezone(PARIS).hour
        for pk, s in got
        if pk == p1.pk and s.astimezone(PARIS).date() == MONDAY
    }
    assert monday_p1 >= {9, 12, 13, 15, 16} and not monday_p1 & {10, 11, 14}


def test_the_page_offers_times_not_every_printer(client, db, course, trainee):
    practical = theory_complete(course=course, user=trainee)
    farm = _farm("F", window=3)
    _printers(farm, 30)
    choices = slots_by_day(practical=practical, now=NOW)
    assert len(choices.soonest) == NEXT_FREE
    assert choices.day == NOW.astimezone(PARIS).date()
    assert [t.starts_at.astimezone(PARIS).hour for t in choices.times] == [13, 14, 15, 16]
    assert all(len(t.printers) == 30 for t in choices.times)

    client.force_login(trainee)
    tomorrow = timezone.now().astimezone(PARIS).date() + dt.timedelta(days=1)
    html = client.get(f"{practical.url}?day={tomorrow.isoformat()}").text
    # The next free slots (four) then tomorrow's eight opening hours: twelve buttons, not 240.
    assert html.count('class="secondary slot"') == NEXT_FREE + 8
    assert "30 imprimantes libres" in html
    assert 'aria-current="date"' in html
    assert "style=" not in html
