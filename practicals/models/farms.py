"""Farms, their opening hours and closures, printers, and the materials printers are loaded with.

Who may see what: a farm's managers manage it, its instructors teach and grade there;
`practicals.selectors.farms_managed_by` is the one place that turns this into querysets.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from ..fields import EncryptedTextField


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

_CELSIUS = [MinValueValidator(0), MaxValueValidator(500)]


class Material(models.Model):
    """A filament type and the temperatures it prints at: data staff edit, not code."""

    name = models.CharField(
        _("name"),
        max_length=40,
        unique=True,
        help_text=_("As slicers write it in the G-code (filament_type), e.g. PLA, PETG."),
    )
    aliases = models.CharField(
        _("other names"),
        max_length=200,
        blank=True,
        help_text=_("Other names slicers use for it, separated by commas (e.g. PLA+, PLA Basic)."),
    )
    nozzle_min = models.PositiveSmallIntegerField(_("nozzle minimum (°C)"), validators=_CELSIUS)
    nozzle_max = models.PositiveSmallIntegerField(_("nozzle maximum (°C)"), validators=_CELSIUS)
    bed_min = models.PositiveSmallIntegerField(_("bed minimum (°C)"), validators=_CELSIUS)
    bed_max = models.PositiveSmallIntegerField(_("bed maximum (°C)"), validators=_CELSIUS)

    panels = [
        FieldPanel("name"),
        FieldPanel("aliases"),
        FieldRowPanel([FieldPanel("nozzle_min"), FieldPanel("nozzle_max")]),
        FieldRowPanel([FieldPanel("bed_min"), FieldPanel("bed_max")]),
    ]

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    nozzle_min__lte=models.F("nozzle_max"), bed_min__lte=models.F("bed_max")
                ),
                name="material_ranges_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if None not in (self.nozzle_min, self.nozzle_max) and self.nozzle_min > self.nozzle_max:
            errors["nozzle_max"] = _("The maximum must not be below the minimum.")
        if None not in (self.bed_min, self.bed_max) and self.bed_min > self.bed_max:
            errors["bed_max"] = _("The maximum must not be below the minimum.")
        if errors:
            raise ValidationError(errors)

    def names(self) -> set[str]:
        """Every name this material goes by, upper-cased for comparison."""
        return {n.strip().upper() for n in [self.name, *self.aliases.split(",")] if n.strip()}


class Farm(ClusterableModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    address = models.TextField(_("address"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_timezone], default="Europe/Paris"
    )
    booking_window_days = models.PositiveSmallIntegerField(
        _("booking window (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("How many days ahead trainees can book."),
    )
    min_notice_minutes = models.PositiveSmallIntegerField(
        _("minimum notice (minutes)"),
        default=0,
        help_text=_("0: a slot already under way can still be booked."),
    )
    max_active_bookings = models.PositiveSmallIntegerField(
        _("active bookings per trainee"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many upcoming bookings one trainee may hold at this farm."),
    )
    cancel_until_hours = models.PositiveSmallIntegerField(
        _("cancel until (hours before)"),
        default=0,
        help_text=_("0: a booking can be cancelled until its slot ends."),
    )
    no_show_minutes = models.PositiveSmallIntegerField(
        _("no-show after (minutes)"),
        default=15,
        help_text=_(
            "A booking with no print started this long into its slot is released. 0: never."
        ),
    )
    service_after_print_hours = models.PositiveIntegerField(
        _("service after (print hours)"),
        default=0,
        help_text=_("A printer is due for maintenance after this many print hours. 0: never."),
    )
    service_after_failures = models.PositiveIntegerField(
        _("service after (failed prints)"),
        default=0,
        help_text=_("A printer is due for maintenance after this many failed prints. 0: never."),
    )
    withdraw_when_service_due = models.BooleanField(
        _("withdraw printers due for maintenance"),
        default=False,
        help_text=_("A printer due for maintenance cannot be booked until it is marked serviced."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_farms",
        help_text=_("They manage this farm's printers and bookings."),
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="instructed_farms",
        help_text=_("They teach and grade at this farm."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("timezone"),
        InlinePanel("opening_hours", heading=_("Opening hours"), label=_("opening hours")),
        InlinePanel("closures", heading=_("Closures"), label=_("closure")),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("booking_window_days"), FieldPanel("min_notice_minutes")]
                ),
                FieldRowPanel(
                    [FieldPanel("max_active_bookings"), FieldPanel("cancel_until_hours")]
                ),
                FieldPanel("no_show_minutes"),
            ],
            heading=_("Booking rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("service_after_print_hours"), FieldPanel("service_after_failures")]
                ),
                FieldPanel("withdraw_when_service_due"),
            ],
            heading=_("Maintenance"),
        ),
        MultiFieldPanel(
            [FieldPanel("managers"), FieldPanel("instructors")],
            heading=_("Staff"),
            permission="practicals.add_farm",  # who staffs a farm is the superuser's call
        ),
    ]

    class Meta:
        verbose_name = _("farm")
        verbose_name_plural = _("farms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


class OpeningHours(Orderable):
    """One opening interval on one weekday (two rows for a day with a lunch break)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    farm = ParentalKey(Farm, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"), help_text=_("00:00 means midnight."))

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens_at"), FieldPanel("closes_at")])
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")) | Q(closes_at=dt.time(0)),
                name="opening_hours_close_after_open",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        if (
            self.opens_at is not None
            and self.closes_at is not None
            and self.closes_at != dt.time(0)
            and self.closes_at <= self.opens_at
        ):
            raise ValidationError({"closes_at": _("The farm must close after it opens.")})

    def interval(self, day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
        """This interval on `day`, as aware datetimes in UTC (real elapsed time between them)."""
        opens = dt.datetime.combine(day, self.opens_at, tzinfo=tz)
        if self.closes_at == dt.time(0):
            closes = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
        else:
            closes = dt.datetime.combine(day, self.closes_at, tzinfo=tz)
        return opens.astimezone(dt.UTC), closes.astimezone(dt.UTC)


class Closure(Orderable):
    """Days the farm is closed (holidays, inventory), with the reason trainees are shown."""

    farm = ParentalKey(Farm, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    reason = models.CharField(_("reason"), max_length=200)

    panels = [
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}: {self.reason}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The closure must end on or after its first day.")})


class Printer(models.Model):
    farm = models.ForeignKey(Farm, on_delete=models.PROTECT, related_name="printers")
    name = models.CharField(_("name"), max_length=120)
    model_name = models.CharField(
        _("model"), max_length=120, blank=True, help_text=_("e.g. Prusa MK4, Ender 3 V2.")
    )
    octoprint_url = models.URLField(_("OctoPrint URL"))
    # Encrypted at rest (practicals.fields); the admin form never shows it again.
    api_key = EncryptedTextField(_("OctoPrint API key"), validators=[api_key_validator])
    build_x = models.PositiveSmallIntegerField(
        _("build volume X (mm)"), default=200, validators=[MinValueValidator(10)]
    )
    build_y = models.PositiveSmallIntegerField(
        _("build volume Y (mm)"), default=200, validators=[MinValueValidator(10)]
    )
    build_z = models.PositiveSmallIntegerField(
        _("build volume Z (mm)"), default=200, validators=[MinValueValidator(10)]
    )
    nozzle_diameter = models.DecimalField(
        _("nozzle diameter (mm)"),
        max_digits=3,
        decimal_places=2,
        default="0.40",
        validators=[MinValueValidator(0.1), MaxValueValidator(2)],
    )
    material = models.ForeignKey(
        Material,
        verbose_name=_("loaded material"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="printers",
        help_text=_("Files for another material, or other temperatures, are refused."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    # Usage-triggered maintenance (practicals.services.maintenance): empty thresholds
    # follow the farm's; `service_due_since` is set when one is reached, cleared when a
    # manager marks the printer serviced (each service is a PrinterService row).
    service_after_print_hours = models.PositiveIntegerField(
        _("service after (print hours)"),
        null=True,
        blank=True,
        help_text=_("Empty: the farm's setting. 0: never."),
    )
    service_after_failures = models.PositiveIntegerField(
        _("service after (failed prints)"),
        null=True,
        blank=True,
        help_text=_("Empty: the farm's setting. 0: never."),
    )
    service_due_since = models.DateTimeField(_("maintenance due since"), null=True, blank=True)
    serviced_at = models.DateTimeField(_("last serviced"), null=True, blank=True)

    class Meta:
        verbose_name = _("printer")
        verbose_name_plural = _("printers")
        ordering = ["farm__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["farm", "name"], name="printer_name_unique_in_farm")
        ]

    def __str__(self):
        return f"{self.name} ({self.farm})"

    @admin.display(description=_("maintenance"))
    def service_state(self) -> str:
        if self.service_due_since is None:
            return _("up to date")
        return _("maintenance due")
