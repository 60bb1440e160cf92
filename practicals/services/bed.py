"""The bed-clear gate: after a print, someone at the farm confirms the bed is clear before
the printer starts another print (recorded: who, when, after which print)."""

from django.db import transaction
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError

from ..access import farms_staffed_by
from ..models import TERMINAL_STATES, BedClearance, PrintAttempt, Printer


class BedNotClear(AtelierError):
    status = 409
    default_message = _("The printer's bed has not been confirmed clear since the last print.")


def bed_waiting(*, printer: Printer) -> PrintAttempt | None:
    """The print whose bed still awaits its confirmation, or None when the bed is clear.

    Only a print that reached the printer (it started) can leave something on the bed."""
    last = (
        PrintAttempt.objects.filter(printer=printer, started_at__isnull=False)
        .order_by("-started_at", "-pk")
        .first()
    )
    if last is None or last.state not in TERMINAL_STATES:
        return None
    if BedClearance.objects.filter(attempt=last).exists():
        return None
    return last


def bed_clear_check(*, printer: Printer) -> None:
    """Refuse a new print while the previous print's bed is not confirmed clear."""
    if bed_waiting(printer=printer) is not None:
        raise BedNotClear(
            _(
                "The bed of %(printer)s has not been confirmed clear since the last print. "
                "Ask someone at the farm to remove the print and confirm the bed is clear."
            )
            % {"printer": printer.name}
        )


@transaction.atomic
def bed_clear_confirm(*, user, printer: Printer) -> BedClearance | None:
    """Record that `user` (staff of the printer's farm) saw the bed clear; None when there
    was nothing to confirm."""
    if not farms_staffed_by(user=user).filter(pk=printer.farm_id).exists():
        raise AtelierError(_("You are not staff of this farm."))
    Printer.objects.select_for_update().filter(pk=printer.pk).first()
    attempt = bed_waiting(printer=printer)
    if attempt is None:
        return None
    clearance, created = BedClearance.objects.get_or_create(
        attempt=attempt, defaults={"printer": printer, "confirmed_by": user}
    )
    return clearance if created else None
