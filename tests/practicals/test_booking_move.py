"""Moving a booking to another free slot, until N hours before; bad moves change nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.exceptions import AtelierError
from practicals.exceptions import IllegalTransition, SlotTaken
from practicals.models import Booking, BookingEvent, Farm, Printer
from practicals.services import booking_create, booking_move
from practicals.slots import slots_free
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete

NOW = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def printers(db):
    farm = farm_open_always(
        Farm.objects.create(name="F", booking_window_days=5, cancel_until_hours=24)
    )
    return [
        Printer.objects.create(
            farm=farm,
            name=name,
            octoprint_url="http://192.0.2.1",
            api_key="x" * 43,
            material=pla(),
        )
        for name in ("P1", "P2")
    ]


def _state(booking):
    booking.refresh_from_db()
    return (booking.printer_id, booking.starts_at, booking.ends_at, booking.status)


def test_move_to_another_free_slot(printers, course, trainee):
    p1, p2 = printers
    practical = theory_complete(course=course, user=trainee)
    start = NOW + dt.timedelta(days=2)
    booking = booking_create(
        user=trainee, practical=practical, printer=p1, starts_at=start, now=NOW
    )
    later = start + dt.timedelta(days=1, hours=3)
    moved = booking_move(user=trainee, booking=booking, printer=p2, starts_at=later, now=NOW)
    assert moved.pk == booking.pk
    assert _state(booking) == (p2.pk, later, later + dt.timedelta(hours=1), "confirmed")
    assert BookingEvent.objects.filter(booking=booking).count() == 2
    free = {(s.printer.pk, s.starts_at) for s in slots_free(practical=practical, now=NOW)}
    assert (p1.pk, start) in free and (p2.pk, later) not in free
    assert Booking.objects.count() == 1


def test_bad_moves_change_nothing(printers, course, trainee, other_trainee):
    p1, p2 = printers
    practical = theory_complete(course=course, user=trainee)
    other = theory_complete(course=course, user=other_trainee)
    start = NOW + dt.timedelta(days=2)
    booking = booking_create(
        user=trainee, practical=practical, printer=p1, starts_at=start, now=NOW
    )
    taken = start + dt.timedelta(hours=5)
    booking_create(user=other_trainee, practical=other, printer=p2, starts_at=taken, now=NOW)
    before = _state(booking)
    cases = [
        (AtelierError, trainee, p1, NOW - dt.timedelta(hours=3), NOW, "déjà passé"),  # past
        (AtelierError, trainee, p1, start + dt.timedelta(minutes=30), NOW, "n’existe pas"),
        (AtelierError, trainee, p1, NOW + dt.timedelta(days=5), NOW, "jours à l’avance"),
        (SlotTaken, trainee, p2, taken, NOW, "vient d’être pris"),
        (IllegalTransition, other_trainee, p2, start + dt.timedelta(hours=9), NOW, "pas la vôtre"),
        (IllegalTransition, trainee, p2, start + dt.timedelta(hours=9),
         start - dt.timedelta(hours=2), "jusqu’à 24 heures avant"),
    ]  # fmt: skip
    for error, user, printer, starts_at, now, text in cases:
        with pytest.raises(error) as raised:
            booking_move(user=user, booking=booking, printer=printer, starts_at=starts_at, now=now)
        assert text in str(raised.value.message), raised.value.message
        assert _state(booking) == before
    assert BookingEvent.objects.filter(booking=booking).count() == 1


def test_move_page(client, printers, course, trainee, other_trainee):
    p1, _ = printers
    practical = theory_complete(course=course, user=trainee)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    booking = booking_create(user=trainee, practical=practical, printer=p1, starts_at=start)
    client.force_login(trainee)
    page = client.get(f"/practicals/bookings/{booking.pk}/").text
    assert f"/practicals/bookings/{booking.pk}/move/" in page
    html = client.get(f"/practicals/bookings/{booking.pk}/move/").text
    assert "Déplacer ma réservation" in html and 'class="secondary slot"' in html
    starts_at = html.split('name="starts_at" value="', 1)[1].split('"', 1)[0]
    printer_id = html.split('name="printer" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/practicals/bookings/{booking.pk}/move/", {"printer": printer_id, "starts_at": starts_at}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == dt.datetime.fromisoformat(starts_at)
    # Garbage: a French message, nothing changed.
    response = client.post(
        f"/practicals/bookings/{booking.pk}/move/",
        {"printer": "x", "starts_at": "demain"},
        follow=True,
    )
    assert "Choisissez un créneau" in response.text
    assert Booking.objects.get(pk=booking.pk).starts_at == dt.datetime.fromisoformat(starts_at)
    # Another trainee's booking: refused.
    client.force_login(other_trainee)
    assert client.get(f"/practicals/bookings/{booking.pk}/move/").status_code in (403, 404)
    post = client.post(
        f"/practicals/bookings/{booking.pk}/move/", {"printer": printer_id, "starts_at": starts_at}
    )
    assert post.status_code in (403, 404)
