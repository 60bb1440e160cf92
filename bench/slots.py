"""The free slots of 100 printers over 14 days: how long the booking page's computation takes.

    .venv/bin/python bench/slots.py [--printers 100] [--days 14] [--rounds 30]

Builds a throw-away test database with the project's settings (SQLite in memory by
default, or DATABASE_URL's test database), one farm open 08:00–20:00 every day with a
14-day booking window, the printers, and every fourth slot of the coming days booked;
every tenth printer has two hours of blocked time a day, and the whole farm one
maintenance window (downtimes count as busy).
Then times, over the rounds, `free_times` (what the booking page computes after a change:
the free start times with their free printers), `slots_free` (every free printer × slot)
and the booking page's read of the cached free times (`slots_by_day`, the cache of the
settings: in-process memory unless CACHE_URL names Redis), and
prints the median and the worst round in milliseconds, with the number of queries.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--printers", type=int, default=100)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _run(args, connection, CaptureQueriesContext)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(args, connection, capture) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from practicals.models import Booking, Downtime, Farm, OpeningHours, PracticalPage, Printer
    from practicals.selectors import slots_by_day
    from practicals.slots import free_times, slots_free
    from tests.fixtures.courses import course_build
    from tests.fixtures.practicals import pla

    course = course_build()
    practical = PracticalPage.objects.descendant_of(course).first()
    farm = Farm.objects.create(name="Bench", timezone="Europe/Paris", booking_window_days=args.days)
    OpeningHours.objects.bulk_create(
        OpeningHours(farm=farm, weekday=d, opens_at=dt.time(8), closes_at=dt.time(20))
        for d in range(7)
    )
    material = pla()
    printers = Printer.objects.bulk_create(
        Printer(
            farm=farm,
            name=f"P{i:03d}",
            octoprint_url="http://192.0.2.1",
            api_key="x" * 43,
            material=material,
        )
        for i in range(args.printers)
    )
    trainee = get_user_model().objects.create_user(email="bench@example.org")
    now = timezone.now()
    today = now.astimezone(farm.tzinfo).date()
    length = dt.timedelta(minutes=practical.slot_minutes)
    bookings = []
    for n, printer in enumerate(printers):
        for offset in range(args.days):
            day = today + dt.timedelta(days=offset)
            opens = dt.datetime.combine(day, dt.time(8), tzinfo=farm.tzinfo)
            for k in range(n % 4, 12, 4):
                start = opens + k * length
                bookings.append(
                    Booking(
                        trainee=trainee,
                        printer=printer,
                        practical=practical,
                        starts_at=start,
                        ends_at=start + length,
                    )
                )
    Booking.objects.bulk_create(bookings)
    downtimes = [
        Downtime(
            farm=farm,
            printer=printer,
            kind=Downtime.Kind.BLOCKED,
            starts_at=dt.datetime.combine(day, dt.time(14), tzinfo=farm.tzinfo),
            ends_at=dt.datetime.combine(day, dt.time(16), tzinfo=farm.tzinfo),
            reason="Démonstration",
        )
        for printer in printers[::10]
        for day in (today + dt.timedelta(days=offset) for offset in range(args.days))
    ]
    maintenance_day = today + dt.timedelta(days=2)
    downtimes.append(
        Downtime(
            farm=farm,
            kind=Downtime.Kind.MAINTENANCE,
            starts_at=dt.datetime.combine(maintenance_day, dt.time(8), tzinfo=farm.tzinfo),
            ends_at=dt.datetime.combine(maintenance_day, dt.time(10), tzinfo=farm.tzinfo),
            reason="Révision",
        )
    )
    Downtime.objects.bulk_create(downtimes)

    def booking_page_read(*, practical, now):
        """What the booking page reads once the free times are cached (`slot_cache`)."""
        return slots_by_day(practical=practical, now=now).times

    for name, func in (
        ("free_times", free_times),
        ("slots_free", slots_free),
        ("booking page, cached", booking_page_read),
    ):
        if func is booking_page_read:
            func(practical=practical, now=now)  # computed and cached once; then read
        with capture(connection) as queries:
            result = func(practical=practical, now=now)
        timings, cpu = [], []
        for _ in range(args.rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            func(practical=practical, now=now)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"{name}: {args.printers} printers × {args.days} days, {len(bookings)} bookings, "
            f"{len(downtimes)} downtimes → "
            f"{len(result)} rows in {len(queries)} queries; "
            f"median {statistics.median(timings):.1f} ms (CPU {statistics.median(cpu):.1f} ms), "
            f"worst {max(timings):.1f} ms over {args.rounds} rounds"
        )


if __name__ == "__main__":
    main()
