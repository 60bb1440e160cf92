"""The lease that makes one follower per printer, whatever the workers, restarts and sweeps.

A follower takes the printer's lease with one conditional UPDATE (free, expired, or
already its own), renews it every few seconds and gives it back when it stops. One that
dies stops renewing: after LEASE_TTL anyone may take it over. Writes that only the
follower may make check the lease in their own transaction (`lease_held`), so a follower
that stalled past its lease and woke up cannot write over its successor.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..models import PrinterLease

LEASE_TTL = dt.timedelta(seconds=10)


def printer_lease_acquire(*, printer_id: int, holder: str, now: dt.datetime | None = None) -> bool:
    """Take the printer's lease if nobody holds it (or their lease ran out)."""
    now = now or timezone.now()
    if not PrinterLease.objects.filter(printer_id=printer_id).exists():
        try:
            with transaction.atomic():
                PrinterLease.objects.create(printer_id=printer_id)
        except IntegrityError:
            pass  # created by a racing follower: the UPDATE below decides
    taken = (
        PrinterLease.objects.filter(printer_id=printer_id)
        .filter(Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .update(holder=holder, expires_at=now + LEASE_TTL, generation=F("generation") + 1)
    )
    return taken == 1


def printer_lease_renew(
    *, printer_id: int, holder: str, reachable: bool, now: dt.datetime | None = None
) -> bool:
    """Extend the lease; False if someone else holds it now (then stop following at once)."""
    now = now or timezone.now()
    fields = {"expires_at": now + LEASE_TTL}
    if reachable:
        fields.update(seen_at=now, unreachable_since=None)
    renewed = PrinterLease.objects.filter(printer_id=printer_id, holder=holder).update(**fields)
    if renewed and not reachable:
        PrinterLease.objects.filter(printer_id=printer_id, unreachable_since__isnull=True).update(
            unreachable_since=now
        )
    return renewed == 1


def printer_lease_release(*, printer_id: int, holder: str) -> None:
    PrinterLease.objects.filter(printer_id=printer_id, holder=holder).update(
        holder="", expires_at=None
    )


def lease_held(*, printer_id: int, holder: str) -> bool:
    """Inside a transaction: lock the lease row and say whether `holder` still has it."""
    return (
        PrinterLease.objects.select_for_update()
        .filter(printer_id=printer_id, holder=holder)
        .exists()
    )


def printers_unfollowed(*, printer_ids, now: dt.datetime | None = None) -> list[int]:
    """Those of `printer_ids` that no live lease covers."""
    now = now or timezone.now()
    held = set(
        PrinterLease.objects.filter(
            printer_id__in=printer_ids, expires_at__gt=now, holder__gt=""
        ).values_list("printer_id", flat=True)
    )
    return [pk for pk in printer_ids if pk not in held]
