"""Cohorts: a training session at a farm, for one or more courses (see `practicals.cohorts`).

A cohort lives in practicals because it names a farm (practicals) and courses (courses,
below): `certificates → practicals → courses` stays one way and nothing in courses needs
to know about cohorts.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage

from .farms import Farm


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=120)
    farm = models.ForeignKey(
        Farm, verbose_name=_("farm"), on_delete=models.PROTECT, related_name="cohorts"
    )
    courses = models.ManyToManyField(CoursePage, verbose_name=_("courses"), related_name="cohorts")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        related_name="cohorts_taught",
        blank=True,
    )
    trainees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainees"),
        related_name="cohorts",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The cohort cannot end before it starts.")})
