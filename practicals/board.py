"""The farm board: every printer of a farm as its followers last left it, in a few queries.

Nothing here talks to OctoPrint. A printer's state comes from what its follower stored:
the active attempt's live fields, and the printer's lease (when the printer last
answered, and since when it has not). So an offline printer costs the board nothing.

Three queries whatever the number of printers: the printers (with their lease and
material, and the ids of their current and next bookings as subqueries), the attempts
under way, and those bookings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Booking, Farm, PrintAttempt, Printer
from .models.printing import heating

State = PrintAttempt.State
ACTIVE = (State.QUEUED, State.PRINTING, State.INTERRUPTED)
# A printing attempt its follower has not written to for this long: nobody follows the
# printer any more (the follower died and was not replaced yet), so its state is unknown.
STALE_AFTER = dt.timedelta(seconds=30)

STATUS_LABELS = {
    "offline": pgettext_lazy("printer", "offline"),
    "disabled": pgettext_lazy("printer", "disabled"),
    "heating": pgettext_lazy("printer", "heating"),
    "printing": pgettext_lazy("printer", "printing"),
    "queued": pgettext_lazy("printer", "sending the file"),
    "idle": pgettext_lazy("printer", "free"),
}


@dataclass
class BookingLine:
    starts_at: dt.datetime
    ends_at: dt.datetime
    trainee: str


@dataclass
class PrinterCard:
    """One printer on the board."""

    pk: int
    name: str
    model_name: str
    material: str
    status: str
    offline: bool
    offline_since: dt.datetime | None
    seen_at: dt.datetime | None
    attempt: PrintAttempt | None
    current: BookingLine | None
    next: BookingLine | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _booking_ids(now: dt.datetime):
    confirmed = Booking.objects.filter(printer=OuterRef("pk"), status=Booking.Status.CONFIRMED)
    current = confirmed.filter(starts_at__lte=now, ends_at__gt=now).order_by("starts_at")
    upcoming = confirmed.filter(starts_at__gt=now).order_by("starts_at")
    return {
        "current_booking_id": Subquery(current.values("pk")[:1]),
        "next_booking_id": Subquery(upcoming.values("pk")[:1]),
    }


def farm_board(*, farm: Farm, now: dt.datetime | None = None) -> list[PrinterCard]:
    """The farm's printers, by name, with what their followers last stored."""
    now = now or timezone.now()
    printers = list(
        Printer.objects.filter(farm=farm)
        .select_related("lease", "material")
        .annotate(**_booking_ids(now))
        .order_by("name")
    )
    attempts = {
        attempt.printer_id: attempt
        for attempt in PrintAttempt.objects.filter(printer__farm=farm, state__in=ACTIVE)
        .select_related("trainee")
        .order_by("created_at")  # the latest wins when a queued one follows an interrupted one
    }
    wanted = {p.current_booking_id for p in printers} | {p.next_booking_id for p in printers}
    wanted.discard(None)
    bookings = {
        b.pk: BookingLine(starts_at=b.starts_at, ends_at=b.ends_at, trainee=str(b.trainee))
        for b in Booking.objects.filter(pk__in=wanted).select_related("trainee")
    }
    return [_card(printer, attempts.get(printer.pk), bookings, now=now) for printer in printers]


def _card(printer: Printer, attempt: PrintAttempt | None, bookings: dict, *, now) -> PrinterCard:
    lease = getattr(printer, "lease", None)
    seen_at = lease.seen_at if lease else None
    if (
        attempt is not None
        and attempt.followed_at
        and (not seen_at or attempt.followed_at > seen_at)
    ):
        seen_at = attempt.followed_at
    offline_since = lease.unreachable_since if lease else None
    if offline_since is None and attempt is not None:
        if attempt.state == State.INTERRUPTED:
            offline_since = attempt.followed_at or attempt.started_at or attempt.created_at
        elif attempt.state == State.PRINTING:
            last = attempt.followed_at or attempt.started_at
            if last and now - last > STALE_AFTER:
                offline_since = last
    offline = offline_since is not None
    if offline:
        status = "offline"
    elif not printer.enabled:
        status = "disabled"
    elif attempt is None:
        status = "idle"
    elif attempt.state == State.QUEUED:
        status = "queued"
    elif attempt.heating:
        status = "heating"
    else:
        status = "printing"
    return PrinterCard(
        pk=printer.pk,
        name=printer.name,
        model_name=printer.model_name,
        material=printer.material.name if printer.material else "",
        status=status,
        offline=offline,
        offline_since=offline_since,
        seen_at=seen_at,
        attempt=attempt,
        current=bookings.get(printer.current_booking_id),
        next=bookings.get(printer.next_booking_id),
    )


def _when(value: dt.datetime | None, tz) -> str:
    """A time in the farm's zone: "14:05" today, "30 nov. 14:05" another day."""
    if value is None:
        return ""
    local = timezone.localtime(value, tz)
    if local.date() == timezone.localtime(timezone.now(), tz).date():
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "j N H:i")


def _temperature(actual, target) -> str:
    if actual is None:
        return "—"
    return f"{actual:.0f}\u00a0/\u00a0{target or 0:.0f}\u00a0°C"


def card_as_dict(card: PrinterCard, *, tz) -> dict:
    """What the board's script needs to redraw one card: text, already in the reader's
    language and the farm's time zone."""
    attempt = card.attempt
    booking = card.current
    trainee = str(attempt.trainee) if attempt else (booking.trainee if booking else "")
    progress = attempt.progress if attempt and attempt.progress is not None else None
    time_left = attempt.time_left_s if attempt and attempt.state == State.PRINTING else None
    next_booking = ""
    if card.next:
        next_booking = f"{_when(card.next.starts_at, tz)} · {card.next.trainee}"
    offline_text = ""
    if card.offline:
        offline_text = _("since %(when)s") % {"when": _when(card.offline_since, tz)}
    return {
        "id": card.pk,
        "name": card.name,
        "about": " · ".join(part for part in (card.model_name, card.material) if part),
        "status": card.status,
        "status_label": card.status_label,
        "offline": card.offline,
        "offline_text": offline_text,
        "seen": _when(card.seen_at, tz) or "—",
        "file": attempt.filename if attempt else "",
        "trainee": trainee,
        "progress": None if progress is None else round(progress),
        "progress_text": "—" if progress is None else f"{progress:.0f}\u00a0%",
        "time_left": _duration(time_left),
        "nozzle": _temperature(
            attempt.nozzle_actual if attempt else None, attempt.nozzle_target if attempt else None
        ),
        "bed": _temperature(
            attempt.bed_actual if attempt else None, attempt.bed_target if attempt else None
        ),
        "next_booking": next_booking or "—",
        "heating": bool(attempt)
        and heating(
            state=attempt.state,
            readings=(
                (attempt.nozzle_actual, attempt.nozzle_target),
                (attempt.bed_actual, attempt.bed_target),
            ),
        ),
    }


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}\u00a0h\u00a0{minutes:02d}"
    if minutes:
        return f"{minutes}\u00a0min\u00a0{secs:02d}"
    return f"{secs}\u00a0s"
