"""Printer time that cannot be booked: blocked periods and maintenance windows, and the
record of each service.

A `Downtime` is either time farm staff block on one printer (a class, a demonstration) or a
maintenance window on one printer or on the whole farm (`printer` empty). Both count as
busy for the free slots; a maintenance window moves or cancels the bookings it hits
(`practicals.services.maintenance`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .farms import Farm, Printer


class Downtime(models.Model):
    class Kind(models.TextChoices):
        BLOCKED = "blocked", _("blocked time")
        MAINTENANCE = "maintenance", _("maintenance")

    farm = models.ForeignKey(Farm, on_delete=models.CASCADE, related_name="downtimes")
    # Empty: the whole farm (maintenance windows only).
    printer = models.ForeignKey(
        Printer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="downtimes",
        verbose_name=_("printer"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unavailable time")
        verbose_name_plural = _("unavailable times")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="downtime_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(printer__isnull=False) | Q(kind="maintenance"),
                name="downtime_blocked_time_on_a_printer",
            ),
        ]
        indexes = [models.Index(fields=["farm", "starts_at", "ends_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}: {self.reason}"


def downtimes_overlapping(*, printers, starts_at, ends_at):
    """Downtimes of these printers (or of their whole farms) overlapping [starts_at, ends_at)."""
    printers = list(printers)
    return Downtime.objects.filter(
        Q(printer__in=[p.pk for p in printers])
        | Q(printer__isnull=True, farm__in={p.farm_id for p in printers}),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )


def printers_in_service(printers):
    """The printers of the queryset that can be booked (not withdrawn for maintenance)."""
    return printers.exclude(service_due_since__isnull=False, farm__withdraw_when_service_due=True)


class PrinterService(models.Model):
    """A manager marked the printer serviced: who, when, and the usage it had reached."""

    printer = models.ForeignKey(Printer, on_delete=models.CASCADE, related_name="services")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    print_hours = models.FloatField(default=0)
    failures = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("printer service")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.printer} {self.at:%Y-%m-%d}"
