"""Print attempts and their history.

`PrintAttempt` changes state only through `practicals.services.printing`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .booking import Booking
from .farms import Printer
from .pages import PracticalPage


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
