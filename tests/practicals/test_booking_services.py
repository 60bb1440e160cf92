"""Booking a slot: prerequisites, the grid, no double booking, cancelling."""

import datetime as dt

import pytest

from courses import services as course_services
from practicals.exceptions import IllegalTransition, PrerequisitesNotMet, SlotTaken
from practicals.models import Booking, BookingEvent
from practicals.services import booking_cancel, booking_create
from practicals.slots import slots_free
from tests.fixtures.courses import steps_of
from tests.fixtures.progress import theory_complete

NOW = dt.datetime(2026, 11, 24, 9, 20, tzinfo=dt.UTC)  # 10:20 in Paris


def _ready(course, user):
    return theory_complete(course=course, user=user)


def test_prerequisites_before_booking(course, trainee, offline_printer):
    *_, practical = steps_of(course)
    course_services.enrolment_create(user=trainee, course=course)
    slot = slots_free(practical=practical, now=NOW)[0]
    with pytest.raises(PrerequisitesNotMet) as error:
        booking_create(
            user=trainee,
            practical=practical,
            printer=slot.printer,
            starts_at=slot.starts_at,
            now=NOW,
        )
    assert "Terminez les leçons" in str(error.value.message)
    assert not Booking.objects.exists()


def test_slots_follow_the_farm_grid_and_the_current_one_is_offered(
    course, trainee, offline_printer
):
    *_, practical = steps_of(course)
    slots = slots_free(practical=practical, now=NOW, days=1)
    # Farm open around the clock, 60-minute slots: 10:00-11:00 Paris is under way.
    assert slots[0].starts_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    assert all((s.ends_at - s.starts_at) == dt.timedelta(minutes=60) for s in slots)
    assert len(slots) == 14  # 10:00 to 24:00


def test_a_taken_slot_is_refused_and_no_longer_offered(
    course, trainee, other_trainee, offline_printer
):
    practical = _ready(course, trainee)
    _ready(course, other_trainee)
    slot = slots_free(practical=practical, now=NOW)[0]
    booking = booking_create(
        user=trainee, practical=practical, printer=slot.printer, starts_at=slot.starts_at, now=NOW
    )
    assert BookingEvent.objects.filter(booking=booking, to_status="confirmed").count() == 1
    with pytest.raises(SlotTaken) as error:
        booking_create(
            user=other_trainee,
            practical=practical,
            printer=slot.printer,
            starts_at=slot.starts_at,
            now=NOW,
        )
    assert "vient d’être pris" in str(error.value.message)
    assert Booking.objects.count() == 1
    assert slot.starts_at not in [s.starts_at for s in slots_free(practical=practical, now=NOW)]


def test_a_time_off_the_grid_is_refused(course, trainee, offline_printer):
    practical = _ready(course, trainee)
    with pytest.raises(Exception) as error:
        booking_create(
            user=trainee,
            practical=practical,
            printer=offline_printer,
            starts_at=NOW.replace(minute=17),
            now=NOW,
        )
    assert "n’existe pas" in str(error.value.message)


def test_cancel_frees_the_slot_and_keeps_history(course, trainee, offline_printer):
    practical = _ready(course, trainee)
    slot = slots_free(practical=practical, now=NOW)[0]
    booking = booking_create(
        user=trainee, practical=practical, printer=slot.printer, starts_at=slot.starts_at, now=NOW
    )
    booking_cancel(user=trainee, booking=booking, now=NOW)
    assert [e.to_status for e in booking.events.all()] == ["confirmed", "cancelled"]
    with pytest.raises(IllegalTransition):
        booking_cancel(user=trainee, booking=booking, now=NOW)
    again = booking_create(
        user=trainee, practical=practical, printer=slot.printer, starts_at=slot.starts_at, now=NOW
    )
    assert again.pk != booking.pk
