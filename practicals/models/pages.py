"""The practical: a course step done on a real printer."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.models import CourseStepPage


class PracticalPage(CourseStepPage):
    """A hands-on exercise: book a printer, print, get graded by an instructor."""

    instructions = RichTextField(_("instructions"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated time (minutes)"),
        default=90,
        help_text=_("Booking, printing and being graded, as a trainee should plan it."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=60, help_text=_("How long a booking lasts.")
    )

    material = models.ForeignKey(
        "practicals.Material",
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only printers loaded with it are offered. Empty: any material."),
    )
    min_build_x = models.PositiveSmallIntegerField(_("minimum build X (mm)"), default=0)
    min_build_y = models.PositiveSmallIntegerField(_("minimum build Y (mm)"), default=0)
    min_build_z = models.PositiveSmallIntegerField(_("minimum build Z (mm)"), default=0)
    # Grading (practicals.models.grading): the print passes when every mandatory automatic
    # check passes and the rubric reaches this share of its weighted points.
    pass_rubric_percent = models.PositiveSmallIntegerField(
        _("rubric pass mark (%)"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_("Passed when every mandatory check passes and the rubric reaches this."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("instructions"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("slot_minutes")]),
        FieldPanel("material"),
        FieldRowPanel(
            [FieldPanel("min_build_x"), FieldPanel("min_build_y"), FieldPanel("min_build_z")]
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_rubric_percent"),
                InlinePanel("grading_checks", label=_("Automatic checks")),
                InlinePanel("rubric_criteria", label=_("Rubric")),
            ],
            heading=_("Grading"),
        ),
    ]

    class Meta:
        verbose_name = _("practical")

    @classmethod
    def steps_done(cls, *, user, page_ids):
        from .printing import PrintAttempt

        return set(
            PrintAttempt.objects.filter(
                trainee=user, practical_id__in=page_ids, grade=PrintAttempt.Grade.PASSED
            ).values_list("practical_id", flat=True)
        )

    @classmethod
    def status_rows(cls, *, user_id, page_ids):
        from django.db.models import BooleanField, DateTimeField
        from django.db.models.functions import Cast

        from .printing import PrintAttempt

        return (
            PrintAttempt.objects.filter(trainee_id=user_id, practical_id__in=page_ids)
            .order_by()
            .values_list(
                "practical_id",
                "pk",
                "grade",
                Cast(None, BooleanField()),
                Cast(None, DateTimeField()),
            )
        )

    @classmethod
    def status_read(cls, rows):
        """Passed when a print was graded passed; failed when the prints graded so far all
        failed; in progress once a print was made (or, through the activity record, once
        the practical was viewed, as booking it needs)."""
        from .printing import PrintAttempt

        found: dict[int, str] = {}
        for practical_id, _pk, grade, _flag, _at in rows:
            if grade == PrintAttempt.Grade.PASSED:
                found[practical_id] = "passed"
            elif grade == PrintAttempt.Grade.FAILED and found.get(practical_id) != "passed":
                found[practical_id] = "failed"
            else:
                found.setdefault(practical_id, "in_progress")
        return found

    def printers_able(self, printers):
        """Printers of `printers` (a queryset) that can run this practical."""
        printers = printers.filter(
            enabled=True,
            build_x__gte=self.min_build_x,
            build_y__gte=self.min_build_y,
            build_z__gte=self.min_build_z,
        )
        if self.material_id:
            printers = printers.filter(material_id=self.material_id)
        return printers

    def get_context(self, request, *args, **kwargs):
        from ..selectors import practical_state

        context = super().get_context(request, *args, **kwargs)
        # `serve` (CourseStepPage) already refused anyone not enrolled; a preview did not.
        checked = self.requires_enrolment and not getattr(request, "is_preview", False)
        enrolled = True if checked else None
        context["state"] = practical_state(practical=self, user=request.user, enrolled=enrolled)
        return context
