"""Farms and their printers."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


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
