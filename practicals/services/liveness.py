"""Is an idle printer still there? A light probe for the printers nobody follows.

Followers say whether the printers they follow answer (`PrinterLease.seen_at` and
`unreachable_since`), but a follower runs only while its printer has an attempt. An idle
printer that was switched off would keep its last good news for ever, and the farm board
would show it free. So a periodic task (beat) asks each enabled printer whose lease is
not held, a few at a time, whether its OctoPrint answers, and records it on the same
lease row, where the board reads it. A printer's own follower, when there is one, stays
the only one to speak for it: the probe writes only while the lease is not held.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Now

from ..models import Printer, PrinterLease
from ..octoprint import client

PARALLEL = 8  # printers asked at once; one that does not answer costs its connect timeout


def _not_held() -> Q:
    return Q(holder="") | Q(expires_at__isnull=True) | Q(expires_at__lte=Now())


def printers_unfollowed_enabled() -> list[Printer]:
    """Enabled printers that no follower holds (no lease yet, or a free or expired one)."""
    return list(
        Printer.objects.filter(enabled=True)
        .filter(Q(lease__isnull=True) | Q(lease__holder="") | Q(lease__expires_at__lte=Now()))
        .only("pk", "octoprint_url", "api_key")
    )


def printer_seen_record(*, printer_id: int, reachable: bool) -> bool:
    """Record what the probe found, unless a follower holds the printer meanwhile."""
    if not PrinterLease.objects.filter(printer_id=printer_id).exists():
        try:
            with transaction.atomic():
                PrinterLease.objects.create(printer_id=printer_id)
        except IntegrityError:
            pass  # a follower (or another probe) created it first
    rows = PrinterLease.objects.filter(_not_held(), printer_id=printer_id)
    if reachable:
        return rows.update(seen_at=Now(), unreachable_since=None) == 1
    return rows.update(unreachable_since=Coalesce("unreachable_since", Now())) == 1


def printers_probe() -> dict:
    """Ask every unfollowed enabled printer whether it answers; record it. Never raises
    for a printer: one that does not answer is what this is here to find."""
    printers = printers_unfollowed_enabled()

    def answers(printer: Printer) -> bool:
        return client.printer_check(url=printer.octoprint_url, api_key=printer.api_key).reachable

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        found = list(pool.map(answers, printers))
    recorded = {"reachable": 0, "unreachable": 0}
    for printer, reachable in zip(printers, found, strict=True):
        if printer_seen_record(printer_id=printer.pk, reachable=reachable):
            recorded["reachable" if reachable else "unreachable"] += 1
    return recorded
