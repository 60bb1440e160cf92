"""What the printer's follower keeps: its lease on the printer, and each attempt's telemetry.

Telemetry is compact on purpose: one row per attempt per minute of printing, holding that
minute's readings as packed arrays (a 3-hour print is 180 rows, not tens of thousands).
"""

from django.db import models

from .farms import Printer
from .printing import PrintAttempt


class PrinterLease(models.Model):
    """Who follows a printer, until when. At most one holder whose lease has not expired.

    A follower takes the lease with one conditional UPDATE (free or expired) and its
    worker's lease keeper renews it every few seconds (database clock); a follower that
    dies stops renewing and the lease runs out, so the sweep can start another.
    `generation` counts the takeovers, for the tests and the logs.
    """

    printer = models.OneToOneField(
        Printer, on_delete=models.CASCADE, primary_key=True, related_name="lease"
    )
    holder = models.CharField(max_length=120, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=0)
    # When the follower last reached the printer, and since when it has not (None: it answers).
    seen_at = models.DateTimeField(null=True, blank=True)
    unreachable_since = models.DateTimeField(null=True, blank=True)


class AttemptTelemetry(models.Model):
    """One minute of an attempt's readings.

    `samples` packs parallel arrays: "t" (seconds since the attempt started, OctoPrint's
    clock), "n"/"nt" nozzle actual/target, "b"/"bt" bed actual/target (°C, null when the
    printer did not say). `marks` lists what happened, as [t, kind, value]: "state",
    "z" (layer change), "progress" (every 5 %), "resends" (running count), "message".
    """

    attempt = models.ForeignKey(PrintAttempt, on_delete=models.CASCADE, related_name="telemetry")
    minute = models.PositiveIntegerField()
    samples = models.JSONField(default=dict)
    marks = models.JSONField(default=list)

    class Meta:
        ordering = ["attempt", "minute"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "minute"], name="telemetry_one_row_a_minute")
        ]
