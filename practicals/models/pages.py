"""The practical: a course step done on a real printer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from courses.models import CourseStepPage


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
        from .printing import PrintAttempt

        return set(
            PrintAttempt.objects.filter(
                trainee=user, practical_id__in=page_ids, grade=PrintAttempt.Grade.PASSED
            ).values_list("practical_id", flat=True)
        )

    def get_context(self, request, *args, **kwargs):
        from ..selectors import practical_state

        context = super().get_context(request, *args, **kwargs)
        context["state"] = practical_state(practical=self, user=request.user)
        return context
