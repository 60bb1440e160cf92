"""Celery tasks of practicals: thin callers of the printing services, keyed by id.

`printer_follow_task` runs as long as its printer has an attempt to follow (it holds the
printer's lease meanwhile, so a duplicate returns at once); `printers_follow_sweep_task`
(beat, every few seconds) starts one for every printer that needs one and has none, which
is how a follower lost with a killed worker is replaced. `bookings_sweep_task` (beat, every
minute) releases no-shows, queues reminders and flags printers due for maintenance;
`printers_probe_task` (beat, every 30 s) asks the printers nobody follows whether they
still answer, so that the farm board flags an idle printer that went away.
"""

import os
import socket
import threading
import uuid
from smtplib import SMTPException

from celery import shared_task
from celery.signals import worker_shutting_down
from django.core.cache import cache

from . import services

# Set when the worker shuts down, so that followers stop (and give their lease back)
# instead of holding a warm shutdown up.
STOP = threading.Event()


@worker_shutting_down.connect
def _stop_followers(**kwargs):
    STOP.set()


@shared_task(bind=True, max_retries=5, default_retry_delay=2, acks_late=True)
def attempt_send_task(self, attempt_id: int) -> str:
    attempt = services.attempt_send(attempt_id=attempt_id)
    if attempt is None:
        return "gone"
    if attempt.state == attempt.State.PRINTING:
        printer_follow_task.delay(attempt.printer_id)
    return attempt.state


@shared_task(acks_late=True, ignore_result=True)
def printer_follow_task(printer_id: int) -> str:
    """Follow one printer while it has something to follow; "busy" if it is followed."""
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return services.printer_follow(printer_id=printer_id, holder=holder, stop=STOP)


@shared_task(ignore_result=True)
def printers_follow_sweep_task() -> dict:
    """Periodic (beat): a follower for each printer that needs one; resend lost sends."""
    to_send = services.attempts_unsent()
    for attempt_id in to_send:
        attempt_send_task.delay(attempt_id)
    to_follow = services.printers_to_follow()
    for printer_id in to_follow:
        printer_follow_task.delay(printer_id)
    return {"sent": len(to_send), "followed": len(to_follow)}


PROBE_LOCK = "practicals:printers-probe"
PROBE_LOCK_SECONDS = 120  # longer than a probe of many silent printers; freed when it ends


@shared_task(ignore_result=True, expires=25)
def printers_probe_task() -> dict:
    """Periodic (beat): do the printers nobody follows still answer? (the farm board)"""
    if not cache.add(PROBE_LOCK, True, timeout=PROBE_LOCK_SECONDS):
        return {"skipped": "a probe is still running"}
    try:
        return services.printers_probe()
    finally:
        cache.delete(PROBE_LOCK)


@shared_task(bind=True, max_retries=8, acks_late=True)
def booking_mail_send_task(self, mail_id: int) -> str:
    """Send one booking e-mail (once); an SMTP failure retries with backoff, then the sweep."""
    try:
        return "sent" if services.booking_mail_send(mail_id=mail_id) else "already sent"
    except (SMTPException, OSError) as error:
        raise self.retry(exc=error, countdown=min(10 * 2**self.request.retries, 900)) from error


@shared_task(ignore_result=True)
def bookings_sweep_task() -> dict:
    """Periodic (beat): no-shows released, reminders queued, printers due for maintenance
    flagged, and booking e-mails a lost task did not send. Each step is idempotent."""
    released = services.bookings_release_no_shows()
    reminded = services.bookings_remind()
    flagged = services.printers_usage_check()
    unsent = services.booking_mails_unsent()
    for mail_id in unsent:
        booking_mail_send_task.delay(mail_id)
    return {
        "no_shows": len(released),
        "reminders": len(reminded),
        "due_for_service": len(flagged),
        "mails": len(unsent),
    }
