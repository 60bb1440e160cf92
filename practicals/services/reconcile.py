"""What OctoPrint's answer means for an attempt: the rules of reconciliation, without I/O.

Used by the printer's follower on every REST liveness check, and when a printer that went
away answers again.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from ..models import PrintAttempt
from ..octoprint import client

State = PrintAttempt.State
# Right after "start", OctoPrint may still report the printer idle for a moment.
START_GRACE = dt.timedelta(seconds=10)


def is_ours(attempt: PrintAttempt, name: str) -> bool:
    # OctoPrint may sanitise the name it stores; the prefix is plain ASCII and unique.
    return name.rsplit("/", 1)[-1].startswith(f"atelier-{attempt.pk}-")


def past_grace(attempt: PrintAttempt) -> bool:
    grace = dt.timedelta(minutes=settings.PRINT_FOLLOW_GRACE_MINUTES)
    return timezone.now() > attempt.booking.ends_at + grace


def verdict(attempt: PrintAttempt, status: client.JobStatus, *, interrupted: bool):
    """(state to move to, fields) from a REST snapshot, or (None, {}) to carry on."""
    ours = bool(status.file_name) and is_ours(attempt, status.file_name)
    # After an error OctoPrint may forget the job's file: the error was this print's.
    ours = ours or (status.file_name is None and status.outcome == "failed")
    outcome = status.outcome if ours else None
    times = {"print_time_s": status.print_time} if ours and status.print_time is not None else {}
    if outcome == "completed":
        return State.COMPLETED, {"progress": 100.0, "time_left_s": 0, **times}
    if outcome == "failed":
        if status.error:
            return State.FAILED, {"code": "printer_error", "params": {"detail": status.error}}
        return State.FAILED, {"code": "printer_error_unknown"}
    if outcome == "printing":
        return (State.PRINTING, {"code": "printer_back"}) if interrupted else (None, {})
    settled = interrupted or (
        attempt.started_at is not None and timezone.now() - attempt.started_at > START_GRACE
    )
    if not settled:
        return None, {}
    if outcome == "cancelled":
        return State.CANCELLED, times
    # Idle with no job, or with another file: this print is gone.
    return State.FAILED, {"code": "printer_lost_job"}
