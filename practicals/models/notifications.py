"""E-mails about bookings, as an outbox: one row per e-mail to send, sent once.

A service writes the row in the same transaction as the change it announces; a task
(enqueued on commit, and beat's sweep for any it missed) sends it and records `sent_at`.
The unique key (booking, kind, key) makes a reminder or a no-show notice exist once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .booking import Booking


class BookingMail(models.Model):
    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmation")
        REMINDER = "reminder", _("reminder")
        NO_SHOW = "no_show", _("no-show")
        MOVED = "moved", _("moved by maintenance")
        CANCELLED = "cancelled", _("cancelled by maintenance")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Tells apart several e-mails of one kind (the maintenance window behind a move).
    key = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "key"], name="booking_mail_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.booking_id}"
