"""A farm manager's board in a real browser: two real Virtual Printers printing, one of them
killed (its OctoPrint process stopped) and flagged offline, while the other's progress keeps
moving on the page without a reload. Then the same board on a 375 px phone."""

import re

import pytest
from playwright.sync_api import expect

from lms.demo.users import user_ensure
from lms.roles import FARM_MANAGER
from lms.virtual_farm import virtual_farm_start, virtual_farm_stop
from practicals.models import PrintAttempt, Printer
from practicals.services import attempt_cancel, attempt_create
from tests.e2e.test_trainee_path import _login, shot
from tests.fixtures.courses import PASSWORD, course_build
from tests.fixtures.octoprint import OCTOPRINT_BIN
from tests.fixtures.practicals import lukewarm
from tests.practicals.test_following import GCODE_LONG
from tests.practicals.test_printing import _booking_now
from tests.waiting import wait_for

pytestmark = pytest.mark.e2e
State = PrintAttempt.State


@pytest.fixture
def doomed_octoprint(tmp_path):
    """An OctoPrint of this test's own, which the test kills."""
    (server,) = virtual_farm_start(count=1, root=tmp_path, octoprint_bin=OCTOPRINT_BIN)
    yield server
    virtual_farm_stop([server])


def _printing(attempt):
    def check():
        attempt.refresh_from_db()
        return attempt.state == State.PRINTING and attempt.progress is not None

    return check


def _card(page, printer):
    return page.locator(f'[data-printer="{printer.pk}"]')


def test_a_managers_board_flags_the_killed_printer_and_follows_the_other_live(
    browser, live_server, celery_worker, farm, printer, doomed_octoprint, trainee, other_trainee
):
    course = course_build(title="Initiation FDM", slot_minutes=720)
    manager = user_ensure(
        email="julien@example.org", full_name="Julien Morel", password=PASSWORD, role=FARM_MANAGER
    )
    farm.managers.add(manager)
    printer.material = lukewarm()
    printer.save(update_fields=["material"])
    doomed = Printer.objects.create(
        farm=farm,
        name="Imprimante 2",
        octoprint_url=doomed_octoprint.url,
        api_key=doomed_octoprint.api_key,
        material=lukewarm(),
    )
    alive = attempt_create(
        user=trainee,
        booking=_booking_now(course=course, user=trainee, printer=printer),
        filename="support.gcode",
        data=GCODE_LONG,
    )
    lost = attempt_create(
        user=other_trainee,
        booking=_booking_now(course=course, user=other_trainee, printer=doomed),
        filename="engrenage.gcode",
        data=GCODE_LONG,
    )
    try:
        wait_for(_printing(alive), timeout=90, what="the first print to be under way")
        wait_for(_printing(lost), timeout=90, what="the second print to be under way")

        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1600, "height": 900}, locale="fr-FR"
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        _login(page, manager.email, PASSWORD)
        page.get_by_role("button", name="Menu").click()  # the header's links are in its menu
        page.get_by_role("link", name="Tableau des imprimantes").click()
        page.wait_for_url(re.compile(rf"/practicals/farms/{farm.pk}/board/"))
        expect(page.get_by_role("heading", name="Imprimantes de Ferme de test")).to_be_visible()
        first, second = _card(page, printer), _card(page, doomed)
        expect(first.get_by_role("heading", name="Imprimante 1")).to_be_visible()
        expect(second.get_by_role("heading", name="Imprimante 2")).to_be_visible()
        expect(first.locator('[data-field="file"]')).to_have_text("support.gcode")
        expect(first.locator('[data-field="trainee"]')).to_have_text("Camille Martin")
        expect(second.locator('[data-field="trainee"]')).to_have_text("Sam Petit")
        expect(second.locator('[data-field="status_label"]')).to_have_text(
            re.compile("impression|chauffe")
        )
        # On a large screen the cards sit side by side.
        box1, box2 = first.bounding_box(), second.bounding_box()
        assert abs(box1["y"] - box2["y"]) < 1 and box2["x"] > box1["x"] + box1["width"]
        page.evaluate("window.boardNotReloaded = true")

        doomed_octoprint.process.kill()  # no goodbye: its socket just breaks
        expect(second).to_have_class(re.compile(r"\boffline\b"), timeout=40_000)
        expect(second.locator('[data-field="status_label"]')).to_have_text("hors ligne")
        expect(second.locator('[data-field="offline_text"]')).to_have_text(re.compile(r"^depuis "))
        expect(first).not_to_have_class(re.compile(r"\boffline\b"))

        # The other printer's progress moves on the page, poll after poll.
        seen = []

        def progress_moved():
            text = first.locator('[data-field="progress_text"]').inner_text()
            if text != "—" and (not seen or seen[-1] != text):
                seen.append(text)
            return len(seen) >= 3

        wait_for(progress_moved, timeout=60, what="the progress to update three times")
        values = [int(re.match(r"\d+", text).group(0)) for text in seen]
        assert values == sorted(values) and values[0] < values[-1], seen
        assert first.locator("progress").evaluate("bar => bar.value") >= values[-1]
        expect(first.locator('[data-field="nozzle"]')).to_have_text(re.compile(r"°C$"))
        assert page.evaluate("window.boardNotReloaded") is True  # all live, no reload
        shot(page, "board-large")
        context.close()

        # The same board on a phone: cards one under the other, no sideways scrolling.
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 375, "height": 812},
            locale="fr-FR",
            is_mobile=True,
        )
        phone = context.new_page()
        _login(phone, manager.email, PASSWORD)
        phone.goto(f"/practicals/farms/{farm.pk}/board/")
        first, second = _card(phone, printer), _card(phone, doomed)
        expect(second).to_have_class(re.compile(r"\boffline\b"))
        box1, box2 = first.bounding_box(), second.bounding_box()
        assert box2["y"] >= box1["y"] + box1["height"]
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        shot(phone, "board-phone")
        context.close()
    finally:
        alive.refresh_from_db()
        if alive.state == State.PRINTING:
            attempt_cancel(user=trainee, attempt=alive)
            wait_for(
                lambda: PrintAttempt.objects.get(pk=alive.pk).finished,
                timeout=60,
                what="the print to be cancelled",
            )
