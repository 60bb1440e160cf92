"""A print attempt's life: created from an upload, sent to OctoPrint, ended.

The allowed moves are written once, in TRANSITIONS; `attempt_move` is the only code that
changes an attempt's state, and it writes an AttemptEvent for each change. Following the
printer while it prints is `practicals.services.following`'s job.
"""

import datetime as dt
import logging

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from courses.activity import Verb, step_activity_record

from ..exceptions import IllegalTransition, NotYourSlot
from ..gcode import gcode_check
from ..models import TERMINAL_STATES, AttemptEvent, Booking, PrintAttempt
from ..octoprint import client
from .bed import bed_clear_check

log = logging.getLogger(__name__)
State = PrintAttempt.State

TRANSITIONS = {
    State.QUEUED: {State.PRINTING, State.FAILED, State.CANCELLED},
    State.PRINTING: {State.COMPLETED, State.FAILED, State.CANCELLED, State.INTERRUPTED},
    # The printer stopped answering: when it is back, what it says decides the end (or the
    # print goes on); cancelling closes it.
    State.INTERRUPTED: {State.PRINTING, State.COMPLETED, State.FAILED, State.CANCELLED},
    State.COMPLETED: set(),
    State.FAILED: set(),
    State.CANCELLED: set(),
}


def attempt_move(
    attempt: PrintAttempt, to_state: str, *, code: str = "", params: dict | None = None, **fields
) -> None:
    """Move a locked attempt (select_for_update, in a transaction) and write its history row.

    `code` and `params` (see practicals.messages) say why; on an ending or an interruption
    they also become the attempt's message, shown to the trainee.
    """
    if to_state not in TRANSITIONS[attempt.state]:
        raise IllegalTransition()
    previous = attempt.state
    attempt.state = to_state
    params = params or {}
    if code or to_state == State.PRINTING:
        fields.setdefault("message_code", code)
        fields.setdefault("message_params", params)
    if to_state in TERMINAL_STATES:
        fields.setdefault("ended_at", timezone.now())
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.save(update_fields=["state", *fields])
    AttemptEvent.objects.create(
        attempt=attempt, from_state=previous, to_state=to_state, code=code, params=params
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
    bed_clear_check(printer=booking.printer)
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
            step_activity_record(user=user, verb=Verb.PRINT_STARTED, step=booking.practical)
    except IntegrityError:
        raise IllegalTransition(
            _("A print is already running on this printer. Wait for it to finish.")
        ) from None

    from ..tasks import attempt_send_task

    transaction.on_commit(lambda: attempt_send_task.delay(attempt.pk))
    return attempt


def remote_name(attempt: PrintAttempt) -> str:
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
    code, params = "", {}
    try:
        client.print_start(
            url=printer.octoprint_url,
            api_key=printer.api_key,
            filename=remote_name(attempt),
            content=content,
        )
    except client.OctoPrintError as exc:
        code, params = _refusal(exc)
    with transaction.atomic():
        attempt = PrintAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.state != State.QUEUED:
            return attempt
        if code:
            attempt_move(attempt, State.FAILED, code=code, params=params)
        else:
            attempt_move(attempt, State.PRINTING, started_at=timezone.now())
    return attempt


def _refusal(exc: client.OctoPrintError) -> tuple[str, dict]:
    """Why a printer did not take a print, as a message code."""
    if exc.http_status is None:
        return "printer_unreachable", {}
    if exc.http_status == 409:
        return "printer_busy", {}
    return "printer_refused", {"detail": exc.detail or ""}


def attempt_cancel(*, user, attempt: PrintAttempt) -> None:
    """Ask the printer to stop; the follower records the cancellation OctoPrint reports.

    An attempt whose printer no longer runs it (interrupted, or OctoPrint says nothing is
    printing) is closed as cancelled at once: there is nothing left to stop, and the
    trainee asked to stop, so it must not end as a failure or keep the printer.
    """
    if attempt.trainee_id != user.pk and not user.has_perm("practicals.grade_printattempt"):
        raise IllegalTransition(_("This print is not yours."))
    if attempt.state in (State.QUEUED, State.INTERRUPTED):
        if _close(attempt_id=attempt.pk, states={attempt.state}, code=""):
            return
        attempt.refresh_from_db()
    if attempt.state != State.PRINTING:
        raise IllegalTransition(_("This print is already over."))
    printer = attempt.printer
    try:
        status = client.job_status(url=printer.octoprint_url, api_key=printer.api_key)
    except client.OctoPrintError:
        status = None  # unreachable: the follower will interrupt it; cancel anyway below
    if status is not None and not (status.is_busy and status.file_name == remote_name(attempt)):
        _close(attempt_id=attempt.pk, states={State.PRINTING}, code="cancel_closed")
        return
    try:
        client.print_cancel(url=printer.octoprint_url, api_key=printer.api_key)
    except client.OctoPrintError as exc:
        if exc.http_status != 409:  # 409: nothing printing any more
            raise
        _close(attempt_id=attempt.pk, states={State.PRINTING}, code="cancel_closed")


def _close(*, attempt_id: int, states: set, code: str) -> bool:
    with transaction.atomic():
        locked = PrintAttempt.objects.select_for_update().get(pk=attempt_id)
        if locked.state not in states:
            return False
        attempt_move(locked, State.CANCELLED, code=code)
        return True


# An attempt still queued after this long was never sent (its task died with a worker).
SEND_STALE = dt.timedelta(seconds=60)


def attempts_unsent(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of attempts nobody is sending."""
    now = now or timezone.now()
    stale = PrintAttempt.objects.filter(state=State.QUEUED, created_at__lt=now - SEND_STALE)
    return list(stale.values_list("pk", flat=True))
