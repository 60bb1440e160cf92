"""One record of what each trainee did: viewed, completed, attempted (`courses.activity`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .pages import CoursePage


class Activity(models.Model):
    """One row per thing a trainee did; written only by `courses.activity.activity_record`.

    Rows are only ever inserted (never updated), so recording costs one INSERT.
    """

    class Verb(models.TextChoices):
        VIEWED = "viewed", _("viewed")
        COMPLETED = "completed", _("completed")
        QUIZ_STARTED = "quiz_started", _("quiz attempt started")
        QUIZ_SUBMITTED = "quiz_submitted", _("quiz attempt submitted")
        PRINT_STARTED = "print_started", _("print attempt started")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="activities", null=True
    )
    page = models.ForeignKey(
        Page, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["user", "course", "at"], name="activity_user_course_at"),
            models.Index(fields=["user", "page", "at"], name="activity_user_page_at"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.verb} {self.page_id} {self.at:%Y-%m-%d %H:%M}"
