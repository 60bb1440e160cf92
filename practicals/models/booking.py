"""Bookings of printer time, and their history.

`Booking` changes state only through `practicals.services.booking`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .farms import Printer
from .pages import PracticalPage


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("booking", "confirmed")
        CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")
        # No print started N minutes into the slot: the slot was released.
        NO_SHOW = "no_show", pgettext_lazy("booking", "no-show")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    printer = models.ForeignKey(Printer, on_delete=models.PROTECT, related_name="bookings")
    practical = models.ForeignKey(PracticalPage, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who booked, when it is not the trainee (an instructor or manager of the farm).
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    # The trainee's language when they booked, for the e-mails about this booking.
    language = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = _("booking")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            # The last guard against a double booking: slots sit on a grid, so two
            # confirmed bookings of one printer never share a start. (An exclusion
            # constraint over the time range replaces this when slot lengths vary.)
            models.UniqueConstraint(
                fields=["printer", "starts_at"],
                condition=Q(status="confirmed"),
                name="booking_one_confirmed_per_printer_start",
            ),
        ]
        indexes = [models.Index(fields=["printer", "starts_at", "ends_at"])]

    def __str__(self):
        return f"{self.printer} {self.starts_at:%Y-%m-%d %H:%M}"

    def is_under_way(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.CONFIRMED and self.starts_at <= now < self.ends_at


class BookingEvent(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
    # Why, when it was not the trainee's own act (a maintenance window, a no-show).
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class CalendarFeed(models.Model):
    """A trainee's private calendar feed: their bookings at a secret URL, until revoked.

    Revoking replaces the token: the old URL answers 404 from then on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} calendar feed"
