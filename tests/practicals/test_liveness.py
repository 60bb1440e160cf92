"""Idle printers nobody follows are asked whether they still answer (for the farm board).

Real OctoPrint Virtual Printers: one of this test's own is stopped to go away, then
started again on the same port to come back.
"""

from lms.virtual_farm import virtual_farm_stop
from practicals.board import farm_board
from practicals.models import Printer, PrinterLease
from practicals.services import printers_probe
from practicals.services.leases import printer_lease_acquire
from practicals.tasks import printers_probe_task
from tests.fixtures.practicals import pla


def _card(farm, printer):
    return next(card for card in farm_board(farm=farm) if card.pk == printer.pk)


def test_an_idle_printer_that_goes_away_is_flagged_and_cleared_when_it_answers(
    farm, printer, own_octoprint
):
    doomed = Printer.objects.create(
        farm=farm,
        name="Débranchée",
        octoprint_url=own_octoprint.url,
        api_key=own_octoprint.api_key,
        material=pla(),
    )
    assert printers_probe() == {"reachable": 2, "unreachable": 0}
    assert not _card(farm, doomed).offline and _card(farm, doomed).seen_at is not None

    virtual_farm_stop([own_octoprint])
    assert printers_probe() == {"reachable": 1, "unreachable": 1}
    card = _card(farm, doomed)
    assert card.offline and card.status == "offline"
    since = card.offline_since
    assert not _card(farm, printer).offline

    printers_probe()  # still away: the time it went away is kept, not moved
    assert _card(farm, doomed).offline_since == since

    # Back (its address answers again): the flag goes at the next probe.
    doomed.octoprint_url, doomed.api_key = printer.octoprint_url, printer.api_key
    doomed.save(update_fields=["octoprint_url", "api_key"])
    printers_probe()
    card = _card(farm, doomed)
    assert not card.offline and card.status == "idle" and card.seen_at > since


def test_a_printer_its_follower_holds_is_left_to_the_follower(farm, offline_printer):
    assert printer_lease_acquire(printer_id=offline_printer.pk, holder="a follower")
    assert printers_probe() == {"reachable": 0, "unreachable": 0}
    lease = PrinterLease.objects.get(printer=offline_printer)
    assert lease.unreachable_since is None  # only its follower speaks for it


def test_a_disabled_printer_is_not_asked(farm, offline_printer):
    offline_printer.enabled = False
    offline_printer.save(update_fields=["enabled"])
    assert printers_probe() == {"reachable": 0, "unreachable": 0}


def test_the_periodic_task_runs_one_probe_at_a_time(farm, offline_printer):
    from django.core.cache import cache

    from practicals.tasks import PROBE_LOCK

    cache.add(PROBE_LOCK, True, timeout=60)  # another probe is still running
    try:
        assert printers_probe_task() == {"skipped": "a probe is still running"}
        assert not PrinterLease.objects.filter(printer=offline_printer).exists()
    finally:
        cache.delete(PROBE_LOCK)
    assert printers_probe_task() == {"reachable": 0, "unreachable": 1}
