"""Calendars: one booking as .ics, and the trainee's private feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import services
from ..calendar import calendar_ics
from ..models import Booking, CalendarFeed


@login_required
def booking_ics(request, booking_id: int):
    """The booking as an `.ics` file (the trainee's own only: 404 otherwise)."""
    booking = get_object_or_404(
        Booking.objects.select_related("printer__farm", "practical"),
        pk=booking_id,
        trainee=request.user,
    )
    response = HttpResponse(
        calendar_ics(bookings=[booking], name=booking.practical.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="atelier-{booking.pk}.ics"'
    return response


def calendar_feed(request, token: str):
    """A trainee's bookings at a secret URL, for calendar apps (no login: the token is the key).

    An unknown or revoked token answers 404, like any other trainee's feed.
    """
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    bookings = (
        Booking.objects.filter(trainee=feed.user)
        .exclude(status=Booking.Status.CANCELLED, starts_at__lt=timezone.now())
        .select_related("printer__farm", "practical")
        .order_by("starts_at")[:200]
    )
    response = HttpResponse(
        calendar_ics(bookings=bookings, name=_("Atelier: my bookings")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_feed_manage(request):
    """GET: the trainee's private feed URL; POST: revoke it and make a new one."""
    if request.method == "POST":
        feed = services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("Your old calendar link no longer works. Here is the new one."))
        return redirect("practicals:calendar")
    feed = services.calendar_feed_ensure(user=request.user)
    url = request.build_absolute_uri(reverse("practicals:calendar_feed", args=[feed.token]))
    return render(request, "practicals/calendar.html", {"feed_url": url})
