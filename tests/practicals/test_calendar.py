"""Bookings in calendars: an .ics per booking, a private feed per trainee that can be revoked;
another trainee's booking or feed answers 404."""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar

from practicals.models import CalendarFeed, Farm, Printer
from practicals.services import booking_cancel, booking_create
from tests.fixtures.practicals import farm_open_always, pla
from tests.fixtures.progress import theory_complete


def _booking(course, trainee):
    farm = farm_open_always(Farm.objects.create(name="Ferme Nord", booking_window_days=7))
    printer = Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )
    practical = theory_complete(course=course, user=trainee)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    return booking_create(user=trainee, practical=practical, printer=printer, starts_at=start)


def test_ics_of_a_booking(client, db, course, trainee, other_trainee):
    booking = _booking(course, trainee)
    client.force_login(trainee)
    response = client.get(f"/practicals/bookings/{booking.pk}/booking.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == booking.starts_at
    assert event.decoded("dtend") == booking.ends_at
    assert "Ferme Nord" in str(event["location"])
    assert booking.practical.title in str(event["summary"])
    client.force_login(other_trainee)
    assert client.get(f"/practicals/bookings/{booking.pk}/booking.ics").status_code == 404


def test_private_feed_revocable(client, db, course, trainee, other_trainee):
    booking = _booking(course, trainee)
    client.force_login(trainee)
    page = client.get("/practicals/calendar/").text
    feed = CalendarFeed.objects.get(user=trainee)
    url = f"/practicals/calendar/{feed.token}.ics"
    assert url in page
    client.logout()  # calendar apps do not log in: the token is the key
    (event,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert event.decoded("dtstart") == booking.starts_at
    # Another trainee's feed holds none of this trainee's bookings; a made-up token is a 404.
    client.force_login(other_trainee)
    client.get("/practicals/calendar/")
    other = CalendarFeed.objects.get(user=other_trainee)
    assert not Calendar.from_ical(
        client.get(f"/practicals/calendar/{other.token}.ics").content
    ).walk("VEVENT")
    assert client.get("/practicals/calendar/not-a-token.ics").status_code == 404
    # Revoked: the old URL is a 404, the new one works.
    client.force_login(trainee)
    assert client.post("/practicals/calendar/").status_code == 302
    assert client.get(url).status_code == 404
    feed.refresh_from_db()
    assert client.get(f"/practicals/calendar/{feed.token}.ics").status_code == 200
    # A cancelled booking is shown as cancelled (calendar apps then remove it).
    booking_cancel(user=trainee, booking=booking)
    (event,) = Calendar.from_ical(
        client.get(f"/practicals/calendar/{feed.token}.ics").content
    ).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"
