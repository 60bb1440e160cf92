"""Print attempts and their history.

`PrintAttempt` changes state only through `practicals.services.printing`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..messages import message_render
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
        # The printer stopped answering mid-print: kept and shown, reconciled when it is back.
        INTERRUPTED = "interrupted", pgettext_lazy("print", "printer unreachable")

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
    # Last time the printer's follower recorded something for this attempt.
    followed_at = models.DateTimeField(null=True, blank=True)
    # Why it ended as it did (or why it is interrupted): a code of practicals.messages and
    # its parameters, rendered in the reader's language.
    message_code = models.CharField(max_length=40, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    print_time_s = models.PositiveIntegerField(null=True, blank=True)
    # The latest reading, for the live page (the whole curve is in AttemptTelemetry).
    time_left_s = models.PositiveIntegerField(null=True, blank=True)
    printer_state = models.CharField(max_length=40, blank=True)
    nozzle_actual = models.FloatField(null=True, blank=True)
    nozzle_target = models.FloatField(null=True, blank=True)
    bed_actual = models.FloatField(null=True, blank=True)
    bed_target = models.FloatField(null=True, blank=True)
    z = models.FloatField(null=True, blank=True)
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

    @property
    def message(self) -> str:
        return message_render(self.message_code, self.message_params)

    @property
    def heating(self) -> bool:
        return heating(
            state=self.state,
            readings=(
                (self.nozzle_actual, self.nozzle_target),
                (self.bed_actual, self.bed_target),
            ),
        )


HEATING_MARGIN = 3.0


def heating(*, state: str, readings) -> bool:
    """Printing, but a heater is still more than 3 °C under its target."""
    if state != PrintAttempt.State.PRINTING:
        return False
    return any(
        actual is not None and target and actual < target - HEATING_MARGIN
        for actual, target in readings
    )


TERMINAL_STATES = {
    PrintAttempt.State.COMPLETED,
    PrintAttempt.State.FAILED,
    PrintAttempt.State.CANCELLED,
}


class AttemptEvent(models.Model):
    """History of an attempt: every state change, and why."""

    attempt = models.ForeignKey(PrintAttempt, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    # A code of practicals.messages and its parameters (OctoPrint's words go in "detail").
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def message(self) -> str:
        return message_render(self.code, self.params)

    @property
    def to_state_label(self) -> str:
        try:
            return PrintAttempt.State(self.to_state).label
        except ValueError:
            return self.to_state
