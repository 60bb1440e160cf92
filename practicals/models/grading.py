"""Grading a print: what a practical asks for, and each assessment of an attempt.

A practical (authored in Wagtail) lists automatic checks, computed from the attempt's
telemetry by `practicals.grading.checks`, and a rubric the instructor fills in. An
`Assessment` is the record of one grading: the checks' values and verdicts as they were,
the rubric's scores, the comment, the photos, who and when. A correction is a new
assessment; the latest one counts and the earlier ones stay as history.

After a print, the printer's bed must be confirmed clear (`BedClearance`) before the next
print starts on it.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .farms import Printer
from .pages import PracticalPage
from .printing import PrintAttempt


class CheckKind(models.TextChoices):
    FINISHED = "finished", _("Finished without error")
    HEATUP = "heatup", _("Heat-up time (target ±3 °C reached within, in s)")
    BAND = "band", _("Printing time outside ±5 °C of the target (at most, in %)")
    PRINT_TIME = "print_time", _("Print time against the slicer's estimate (within ±, in %)")
    FIRST_LAYER = "first_layer", _("First layer time against the estimate (within ±, in %)")
    FILAMENT = "filament", _("Filament used (at most, in m)")


class PracticalCheck(Orderable):
    """An automatic check of the practical, with its threshold."""

    page = ParentalKey(PracticalPage, on_delete=models.CASCADE, related_name="grading_checks")
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    threshold = models.FloatField(
        _("threshold"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Seconds, percent or metres, as the check says (ignored for “finished”)."),
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=True, help_text=_("The print cannot pass if this check fails.")
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("threshold"), FieldPanel("mandatory")])]

    class Meta(Orderable.Meta):
        verbose_name = _("automatic check")
        verbose_name_plural = _("automatic checks")


class RubricCriterion(Orderable):
    """One line of the rubric: a level chosen by the instructor, or a measured value."""

    class Kind(models.TextChoices):
        LEVELS = "levels", _("Levels")
        MEASURED = "measured", _("Measured value")

    page = ParentalKey(PracticalPage, on_delete=models.CASCADE, related_name="rubric_criteria")
    label = models.CharField(_("criterion"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEVELS)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    levels = models.TextField(
        _("level descriptors"),
        blank=True,
        help_text=_("One line per level, from the lowest (0) to the highest."),
    )
    pass_level = models.PositiveSmallIntegerField(
        _("level that counts as passed"), default=2, help_text=_("For competencies.")
    )
    nominal = models.FloatField(_("nominal value"), null=True, blank=True)
    tolerance = models.FloatField(
        _("tolerance (±)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True, default="mm")
    competency = models.ForeignKey(
        "courses.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Passing this criterion counts as evidence of the competency."),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("kind"), FieldPanel("weight")]),
        FieldPanel("levels"),
        FieldRowPanel(
            [
                FieldPanel("pass_level"),
                FieldPanel("nominal"),
                FieldPanel("tolerance"),
                FieldPanel("unit"),
            ]
        ),
        FieldPanel("competency"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self):
        return self.label

    def level_texts(self) -> list[str]:
        return [line.strip() for line in self.levels.splitlines() if line.strip()]


class Assessment(models.Model):
    """One grading of an attempt, frozen as it was made. Never updated: a correction is a
    new assessment, and the latest one counts."""

    attempt = models.ForeignKey(PrintAttempt, on_delete=models.CASCADE, related_name="assessments")
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Each check as computed then: kind, mandatory, value, threshold, unit, verdict, code, params.
    checks = models.JSONField(default=list)
    # Each criterion as scored then: id, label, kind, weight, level, levels, value, nominal,
    # tolerance, unit, passed, score (0-1), competency_id.
    rubric = models.JSONField(default=list)
    rubric_percent = models.FloatField(null=True)
    pass_percent = models.PositiveSmallIntegerField(default=0)
    comment = models.TextField(blank=True)
    passed = models.BooleanField()
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.attempt} — {self.created_at:%Y-%m-%d %H:%M}"


def photo_upload_to(photo, filename):
    return f"assessments/{photo.assessment.attempt_id}/{uuid.uuid4().hex}.jpg"


class AssessmentPhoto(models.Model):
    """A photo of the print, re-encoded (no EXIF or other metadata) and served only to the
    trainee and the farm's staff."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_upload_to)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]


class BedClearance(models.Model):
    """Someone at the farm confirmed that the bed is clear after this print."""

    attempt = models.OneToOneField(
        PrintAttempt, on_delete=models.CASCADE, related_name="bed_clearance"
    )
    printer = models.ForeignKey(Printer, on_delete=models.CASCADE, related_name="bed_clearances")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bed clearance")
        ordering = ["-confirmed_at"]
