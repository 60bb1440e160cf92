"""The farm's booking rules: opening hours per weekday, closures, daylight-saving days,
booking window, minimum notice, active bookings per trainee, cancelling until N hours
before, printers able to run the practical; and races on the database."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction

from courses.exceptions import AtelierError
from lms.demo.users import user_ensure
from practicals.exceptions import IllegalTransition, SlotTaken
from practicals.models import Booking, Closure, Farm, Material, OpeningHours, Printer
from practicals.services import booking_cancel, booking_create
from practicals.slots import slot_grid, slots_free
from tests.fixtures.courses import PASSWORD, course_build
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 11, 30)  # a Monday
NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)  # Sunday 13:00 in Paris


def _printer(farm, name="P1", **fields):
    return Printer.objects.create(
        farm=farm,
        name=name,
        octoprint_url="http://192.0.2.1",
        api_key="x" * 43,
        material=fields.pop("material", pla()),
        **fields,
    )


@pytest.mark.parametrize(
    ("day", "count"), [(dt.date(2026, 3, 29), 23), (dt.date(2026, 10, 25), 25)]
)
def test_daylight_saving_days_keep_every_slot_one_length(db, day, count):
    printer = _printer(farm_open_always(Farm.objects.create(name="F")))
    slots = list(slot_grid(printer=printer, minutes=60, start_day=day, days=1))
    assert len(slots) == count
    assert {end - start for start, end in slots} == {dt.timedelta(hours=1)}
    assert all(b[0] == a[1] for a, b in zip(slots, slots[1:], strict=False))


def test_opening_hours_per_weekday_and_closures(db, course, trainee):
    farm = Farm.objects.create(name="F", booking_window_days=14)
    OpeningHours.objects.create(farm=farm, weekday=0, opens_at=dt.time(9), closes_at=dt.time(12))
    OpeningHours.objects.create(farm=farm, weekday=0, opens_at=dt.time(14), closes_at=dt.time(18))
    Closure.objects.create(
        farm=farm,
        starts_on=MONDAY + dt.timedelta(days=7),
        ends_on=MONDAY + dt.timedelta(days=7),
        reason="Inventaire",
    )
    _printer(farm)
    practical = theory_complete(course=course, user=trainee)
    slots = slots_free(practical=practical, now=NOW)
    local = [s.starts_at.astimezone(PARIS) for s in slots]
    assert {t.date() for t in local} == {MONDAY}  # the next Monday is closed
    assert [t.hour for t in local] == [9, 10, 11, 14, 15, 16, 17]


@pytest.fixture
def farm_rules(db):
    return farm_open_always(
        Farm.objects.create(
            name="F",
            booking_window_days=3,
            min_notice_minutes=120,
            max_active_bookings=1,
            cancel_until_hours=24,
        )
    )


def test_window_and_notice(farm_rules, course, trainee):
    printer = _printer(farm_rules)
    practical = theory_complete(course=course, user=trainee)
    slots = slots_free(practical=practical, now=NOW)
    assert slots[0].starts_at >= NOW + dt.timedelta(minutes=120)
    # Today (Sunday) and the next two days, in the farm's time zone.
    assert slots[-1].starts_at.astimezone(PARIS).date() == dt.date(2026, 12, 1)
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee,
            practical=practical,
            printer=printer,
            starts_at=NOW + dt.timedelta(hours=1),
            now=NOW,
        )
    assert "au moins 120 minutes à l’avance" in str(error.value.message)
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee,
            practical=practical,
            printer=printer,
            starts_at=NOW + dt.timedelta(days=3),
            now=NOW,
        )
    assert "3 jours à l’avance au plus" in str(error.value.message)
    assert not Booking.objects.exists()


def test_active_bookings_per_trainee(farm_rules, trainee):
    printer = _printer(farm_rules)
    first = theory_complete(course=course_build(title="Cours A"), user=trainee)
    second = theory_complete(course=course_build(title="Cours B"), user=trainee)
    start = NOW + dt.timedelta(hours=3)
    booking_create(user=trainee, practical=first, printer=printer, starts_at=start, now=NOW)
    with pytest.raises(AtelierError) as error:
        booking_create(
            user=trainee,
            practical=second,
            printer=printer,
            starts_at=start + dt.timedelta(hours=1),
            now=NOW,
        )
    assert "nombre maximal de réservations à venir dans cette ferme (1)" in str(error.value.message)
    assert Booking.objects.count() == 1


def test_cancel_until_n_hours_before(farm_rules, course, trainee):
    printer = _printer(farm_rules)
    practical = theory_complete(course=course, user=trainee)
    booking = booking_create(
        user=trainee,
        practical=practical,
        printer=printer,
        starts_at=NOW + dt.timedelta(hours=3),
        now=NOW,
    )
    with pytest.raises(IllegalTransition) as error:
        booking_cancel(user=trainee, booking=booking, now=NOW)
    assert "jusqu’à 24 heures avant" in str(error.value.message)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_only_printers_able_to_run_the_practical_are_offered(db, course, trainee):
    farm = farm_open_always(Farm.objects.create(name="F"))
    petg = Material.objects.get_or_create(
        name="PETG", defaults={"nozzle_min": 220, "nozzle_max": 260, "bed_min": 60, "bed_max": 90}
    )[0]
    small = _printer(farm, "Petite", build_x=120, build_y=120, build_z=120, material=petg)
    pla_printer = _printer(farm, "PLA")
    big_petg = _printer(farm, "Grande", build_x=250, build_y=210, build_z=220, material=petg)
    practical = theory_complete(course=course, user=trainee)
    practical.material = petg
    practical.min_build_x = 200
    practical.save()
    offered = {s.printer.pk for s in slots_free(practical=practical, now=NOW)}
    assert offered == {big_petg.pk}
    slot = slots_free(practical=practical, now=NOW)[0]
    for printer in (small, pla_printer):
        with pytest.raises(AtelierError) as error:
            booking_create(
                user=trainee,
                practical=practical,
                printer=printer,
                starts_at=slot.starts_at,
                now=NOW,
            )
        assert "n’est pas disponible pour ce TP" in str(error.value.message)


def test_overlapping_bookings_of_different_lengths_are_refused(db, course, trainee, other_trainee):
    farm = farm_open_always(Farm.objects.create(name="F"))
    printer = _printer(farm)
    practical = theory_complete(course=course, user=trainee)
    start = NOW + dt.timedelta(hours=3)
    booking_create(user=trainee, practical=practical, printer=printer, starts_at=start, now=NOW)
    # A slot of another length that overlaps (the service's check)…
    practical.slot_minutes = 90
    practical.save()
    theory_complete(course=course, user=other_trainee)
    with pytest.raises(SlotTaken):
        booking_create(
            user=other_trainee,
            practical=practical,
            printer=printer,
            starts_at=start - dt.timedelta(minutes=60),
            now=NOW,
        )
    # …and, on PostgreSQL, the database itself (the exclusion constraint).
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                trainee=other_trainee,
                printer=printer,
                practical=practical,
                starts_at=start + dt.timedelta(minutes=30),
                ends_at=start + dt.timedelta(minutes=100),
            )
    assert Booking.objects.filter(printer=printer).count() == 1


def test_one_trainee_sending_20_bookings_at_once_stays_within_the_limit(transactional_db, course):
    trainee = user_ensure(email="presse@example.org", full_name="Pressé", password=PASSWORD)
    farm = farm_open_always(
        Farm.objects.create(name="F", max_active_bookings=1, booking_window_days=7)
    )
    printers = [_printer(farm, f"P{i}") for i in range(4)]
    practical = theory_complete(course=course, user=trainee)
    now = dt.datetime.now(dt.UTC)
    starts = sorted(
        {s.starts_at for s in slots_free(practical=practical, now=now) if s.starts_at > now}
    )[:5]
    attempts = [(printers[i % 4], starts[i % 5]) for i in range(20)]
    barrier = threading.Barrier(20)
    outcomes = []

    def book(printer, starts_at):
        try:
            barrier.wait()
            booking_create(user=trainee, practical=practical, printer=printer, starts_at=starts_at)
            outcomes.append("booked")
        except AtelierError:
            outcomes.append("refused")
        except Exception as error:  # anything else fails the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=a) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["booked"] + ["refused"] * 19, outcomes
    assert Booking.objects.filter(trainee=trainee, status="confirmed").count() == 1
