"""The trainee's learning records: enrolments and lessons done (quiz attempts: `quiz`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import CoursePage, LessonPage


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by `courses.services.enrolment_create`, the one door every path goes through,
    # once it found the prerequisites complete. An enrolment written by any other path
    # (raw ORM, an old import) is False: it opens the course only while the prerequisites
    # are complete (`courses.selectors.enrolment_exists`).
    prerequisites_checked = models.BooleanField(_("prerequisites checked"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once_per_course")
        ]


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_done_once")]
