"""Farms, printers, practical pages, bookings and print attempts.

`Booking` and `PrintAttempt` change state only through `practicals.services`, which
checks the allowed transitions and writes a history row for every change.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.models import CourseStepPage


def validate_timezone(value: str) -> None:
    # A validator, not choices: the list of zones depends on the machine's tzdata and
    # would make migrations differ from one machine to the next.
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value}) from None


# OctoPrint's API keys: 32 hex characters before 1.11, 43 url-safe characters since.
api_key_validator = RegexValidator(
    r"^([0-9A-Fa-f]{32}|[A-Za-z0-9_-]{43})$",
    _("An OctoPrint API key has 32 hexadecimal or 43 letters, digits, - and _ characters."),
)


class Farm(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_timezone], default="Europe/Paris"
    )
    opening_hour = models.PositiveSmallIntegerField(_("opens at (hour)"), default=8)
    closing_hour = models.PositiveSmallIntegerField(
        _("closes at (hour)"), default=20, help_text=_("24 means midnight.")
    )

    class Meta:
        verbose_name = _("farm")
        verbose_name_plural = _("farms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opening_hour__lt=models.F("closing_hour"), closing_hour__lte=24),
                name="farm_opening_before_closing",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


class Printer(models.Model):
    farm = models.ForeignKey(Farm, on_delete=models.PROTECT, related_name="printers")
    name = models.CharField(_("name"), max_length=120)
    octoprint_url = models.URLField(_("OctoPrint URL"))
    api_key = models.CharField(
        _("OctoPrint API key"),
        max_length=64,
        validators=[api_key_validator],
        help_text=_("32 or 43 characters."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    panels = [
        FieldPanel("farm"),
        FieldPanel("name"),
        FieldPanel("octoprint_url"),
        FieldPanel("api_key"),
        FieldPanel("enabled"),
    ]

    class Meta:
        verbose_name = _("printer")
        verbose_name_plural = _("printers")
        ordering = ["farm__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["farm", "name"], name="printer_name_unique_in_farm")
        ]

    def __str__(self):
        return f"{self.name} ({self.farm})"


class PracticalPage(CourseStepPage):
    """A hands-on exercise: book a printer, print, get graded by an instructor."""

    instructions = RichTextField(_("instructions"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=60, help_text=_("How long a booking lasts.")
    )

    content_panels = Page.content_panels + [FieldPanel("instructions"), FieldPanel("slot_minutes")]

    class Meta:
        verbose_name = _("practical")

    @classmethod
    def steps_done(cls, *, user, page_ids):
        return set(
            PrintAttempt.objects.filter(
                trainee=user, practical_id__in=page_ids, grade=PrintAttempt.Grade.PASSED
            ).values_list("practical_id", flat=True)
        )

    def get_context(self, request, *args, **kwargs):
        from .selectors import practical_state

        context = super().get_context(request, *args, **kwargs)
        context["state"] = practical_state(practical=self, user=request.user)
        return context


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("booking", "confirmed")
        CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    printer = models.ForeignKey(Printer, on_delete=models.PROTECT, related_name="bookings")
    practical = models.ForeignKey(PracticalPage, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(auto_now_add=True)

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

    class Meta:
        ordering = ["at", "pk"]


def gcode_upload_to(attempt, filename):
    return f"gcode/{attempt.trainee_id}/{filename}"


class PrintAttempt(models.Model):
    """One print of a trainee on a printer during a booking, and its grade."""

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("print", "sending to the printer")
        PRINTING = "printing", pgettext_lazy("print", "printing")
        COMPLETED = "completed", pgettext_lazy("print", "completed")
        FAILED = "failed", pgettext_lazy("print", "failed")
        CANCELLED = "cancelled", pgettext_lazy("print", "cancelled")

    class Grade(models.TextChoices):
        PASSED = "passed", pgettext_lazy("grade", "passed")
        FAILED = "failed", pgettext_lazy("grade", "failed")

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="attempts")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="print_attempts"
    )
    printer = models.ForeignKey(Printer, on_delete=models.PROTECT, related_name="attempts")
    practical = models.ForeignKey(PracticalPage, on_delete=models.CASCADE, related_name="attempts")
    gcode = models.FileField(upload_to=gcode_upload_to)
    filename = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(null=True, blank=True)
    # Last time a worker read the printer for this attempt: a stale value means nobody
    # follows it any more (a worker restarted), and the sweep picks it up again.
    followed_at = models.DateTimeField(null=True, blank=True)
    error_text = models.TextField(blank=True)
    print_time_s = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField(max_length=16, choices=Grade.choices, blank=True)
    grade_comment = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("print attempt")
        ordering = ["-created_at", "-pk"]
        permissions = [("grade_printattempt", "Can grade print attempts")]
        constraints = [
            # One print at a time per printer: a second "active" attempt cannot exist.
            models.UniqueConstraint(
                fields=["printer"],
                condition=Q(state__in=["queued", "printing"]),
                name="attempt_one_active_per_printer",
            )
        ]

    def __str__(self):
        return f"{self.filename} — {self.get_state_display()}"

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL_STATES


TERMINAL_STATES = {
    PrintAttempt.State.COMPLETED,
    PrintAttempt.State.FAILED,
    PrintAttempt.State.CANCELLED,
}


class AttemptEvent(models.Model):
    """History of an attempt: every state change, with OctoPrint's words when it has some."""

    attempt = models.ForeignKey(PrintAttempt, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
