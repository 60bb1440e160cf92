"""Bookings as iCalendar (RFC 5545): one `.ics` per booking, and a trainee's feed."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking


def calendar_ics(*, bookings, name: str) -> bytes:
    """An iCalendar file with one event per booking (times in UTC, stable UIDs)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Atelier//Bookings//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    for booking in bookings:
        farm = booking.printer.farm
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", _("Printing slot: %(title)s") % {"title": booking.practical.title})
        event.add("location", f"{farm.name}, {booking.printer.name}")
        event.add("url", f"{settings.SITE_URL}/practicals/bookings/{booking.pk}/")
        # Cancelled, or released as a no-show: no longer in the trainee's calendar.
        if booking.status == Booking.Status.CONFIRMED:
            event.add("status", "CONFIRMED")
        else:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
