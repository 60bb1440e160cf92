"""A print attempt's life: created from an upload, sent to OctoPrint, followed to its end.

The allowed moves are written once, in TRANSITIONS; `_attempt_move` is the only code that
changes an attempt's state, and it writes an AttemptEvent for each change.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ..exceptions import IllegalTransition, NotYourSlot, PrinterUnavailable
from ..gcode import gcode_check
from ..models import AttemptEvent, Booking, PrintAttempt
from ..octoprint import client

log = logging.getLogger(__name__)
State = PrintAttempt.State

TRANSITIONS = {
    State.QUEUED: {State.PRINTING, State.FAILED, State.CANCELLED},
    State.PRINTING: {State.COMPLETED, State.FAILED, State.CANCELLED},
    State.COMPLETED: set(),
    State.FAILED: set(),
    State.CANCELLED: set(),
}
# Right after "start", OctoPrint may still report the printer idle for a moment.
START_GRACE = dt.timedelta(seconds=10)


def _attempt_move(attempt: PrintAttempt, to_state: str, *, detail: str = "", **fields):
    if to_state not in TRANSITIONS[attempt.state]:
        raise IllegalTransition()
    previous = attempt.state
    attempt.state = to_state
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.save(update_fields=["state", *fields])
    AttemptEvent.objects.create(
        attempt=attempt, from_state=previous, to_state=to_state, detail=detail
    )


def attempt_create(
    *, user, booking: Booking, filename: str, data: bytes | File, now: dt.datetime | None = None
) -> PrintAttempt:
    """Check the slot and the file, keep the file, and queue the print (sent on commit)."""
    now = now or timezone.now()
    if booking.trainee_id != user.pk or booking.status != Booking.Status.CONFIRMED:
        raise NotYourSlot()
    if not booking.is_under_way(now):
        raise NotYourSlot(
            _("You can print only during your slot (%(start)s – %(end)s).")
            % {
                "start": timezone.localtime(
                    booking.starts_at, booking.printer.farm.tzinfo
                ).strftime("%d/%m %H:%M"),
                "end": timezone.localtime(booking.ends_at, booking.printer.farm.tzinfo).strftime(
                    "%H:%M"
                ),
            }
        )
    gcode_check(filename=filename, data=data, booking=booking, now=now)
    safe_name = get_valid_filename(filename)
    try:
        with transaction.atomic():
            attempt = PrintAttempt(
                booking=booking,
                trainee=user,
                printer=booking.printer,
                practical=booking.practical,
                filename=safe_name,
            )
            content = data if isinstance(data, File) else ContentFile(data)  # File: on disk
            attempt.gcode.save(safe_name, content, save=False)
            attempt.save()
            AttemptEvent.objects.create(attempt=attempt, to_state=attempt.state)
    except IntegrityError:
        raise IllegalTransition(
            _("A print is already running on this printer. Wait for it to finish.")
        ) from None

    from ..tasks import attempt_send_task

    transaction.on_commit(lambda: attempt_send_task.delay(attempt.pk))
    return attempt


def _remote_name(attempt: PrintAttempt) -> str:
    # Unique per attempt, so that the job OctoPrint reports is recognisably ours.
    return f"atelier-{attempt.pk}-{attempt.filename}"


def attempt_send(*, attempt_id: int) -> PrintAttempt | None:
    """Upload and start. Idempotent: an attempt already past QUEUED is left alone.

    The printer is called outside any transaction, so that a slow printer never holds a
    database lock; the state is then moved only if nobody moved it meanwhile.
    """
    attempt = PrintAttempt.objects.select_related("printer").filter(pk=attempt_id).first()
    if attempt is None or attempt.state != State.QUEUED:
        return attempt
    printer = attempt.printer
    with attempt.gcode.open("rb") as f:
        content = f.read()
    error = None
    try:
        client.print_start(
            url=printer.octoprint_url,
            api_key=printer.api_key,
            filename=_remote_name(attempt),
            content=content,
        )
    except PrinterUnavailable as exc:
        error = str(exc.message)
    with transaction.atomic():
        attempt = PrintAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.state != State.QUEUED:
            return attempt
        if error:
            _attempt_move(
                attempt, State.FAILED, detail=error, error_text=error, ended_at=timezone.now()
            )
        else:
            _attempt_move(attempt, State.PRINTING, started_at=timezone.now())
    return attempt


def attempt_follow(*, attempt_id: int, now: dt.datetime | None = None) -> PrintAttempt | None:
    """Read the printer once and record what it says. Returns the attempt, or None if gone.

    The caller polls again while `attempt.finished` is false.
    """
    now = now or timezone.now()
    attempt = (
        PrintAttempt.objects.select_related("printer", "booking").filter(pk=attempt_id).first()
    )
    if attempt is None or attempt.state != State.PRINTING:
        return attempt
    printer = attempt.printer
    try:
        status = client.job_status(url=printer.octoprint_url, api_key=printer.api_key)
    except PrinterUnavailable as error:
        log.warning("attempt %s: printer unreachable: %s", attempt.pk, error)
        status = None

    with transaction.atomic():
        attempt = PrintAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.state != State.PRINTING:
            return attempt
        ours = status is not None and status.file_name in (None, _remote_name(attempt))
        outcome = status.outcome if ours else None
        settled = now - attempt.started_at > START_GRACE or attempt.progress is not None
        lost = now > attempt.booking.ends_at + dt.timedelta(
            minutes=settings.PRINT_FOLLOW_GRACE_MINUTES
        )
        # One write per poll: the reading, and the stamp that says someone follows.
        if outcome == "completed":
            _attempt_move(
                attempt,
                State.COMPLETED,
                progress=100.0,
                print_time_s=status.print_time,
                ended_at=now,
                followed_at=now,
            )
        elif outcome == "failed":
            text = status.error or _("The printer reported an error.")
            _attempt_move(
                attempt,
                State.FAILED,
                detail=text,
                error_text=text,
                ended_at=now,
                print_time_s=status.print_time,
                followed_at=now,
            )
        elif outcome == "cancelled" and settled:
            _attempt_move(attempt, State.CANCELLED, ended_at=now, followed_at=now)
        elif outcome != "printing" and lost:
            text = _("Atelier lost track of this print: the printer did not report its end.")
            _attempt_move(
                attempt, State.FAILED, detail=text, error_text=text, ended_at=now, followed_at=now
            )
        else:
            attempt.followed_at = now
            fields = ["followed_at"]
            if outcome == "printing":
                attempt.progress = status.completion
                attempt.print_time_s = status.print_time
                fields += ["progress", "print_time_s"]
            attempt.save(update_fields=fields)
    return attempt


# An attempt not read for this long has lost its follower; one still queued after this
# long was never sent.
FOLLOW_STALE = dt.timedelta(seconds=30)
SEND_STALE = dt.timedelta(seconds=60)


def attempts_orphaned(*, now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """Ids of attempts nobody is sending or following (their task died with a worker)."""
    now = now or timezone.now()
    to_send = PrintAttempt.objects.filter(state=State.QUEUED, created_at__lt=now - SEND_STALE)
    to_follow = PrintAttempt.objects.filter(state=State.PRINTING).filter(
        Q(followed_at__lt=now - FOLLOW_STALE)
        | Q(followed_at__isnull=True, started_at__lt=now - FOLLOW_STALE)
    )
    return (
        list(to_send.values_list("pk", flat=True)),
        list(to_follow.values_list("pk", flat=True)),
    )


def attempt_cancel(*, user, attempt: PrintAttempt) -> None:
    """Ask the printer to stop; the follower records the cancellation OctoPrint reports."""
    if attempt.trainee_id != user.pk and not user.has_perm("practicals.grade_printattempt"):
        raise IllegalTransition(_("This print is not yours."))
    if attempt.state == State.QUEUED:
        with transaction.atomic():
            locked = PrintAttempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.state == State.QUEUED:
                _attempt_move(locked, State.CANCELLED, ended_at=timezone.now())
                return
        attempt.refresh_from_db()
    if attempt.state != State.PRINTING:
        raise IllegalTransition(_("This print is already over."))
    client.print_cancel(url=attempt.printer.octoprint_url, api_key=attempt.printer.api_key)
