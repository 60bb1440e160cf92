"""A trainee on a phone sends the G-code of their booking, and watches the print on a real
Virtual Printer: the page says « chauffe » while the heaters climb, and the temperature
chart's lines grow as the follower records readings, without reloading the page.

Booking on a phone and the whole path to the certificate are in test_trainee_path.py;
this test watches the live page itself.
"""

import re

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from practicals.models import PrintAttempt
from tests.e2e.test_trainee_path import _login, shot
from tests.fixtures.courses import PASSWORD, course_build
from tests.practicals.test_printing import _attempt_recorded, _booking_now
from tests.waiting import wait_for

pytestmark = pytest.mark.e2e

# PLA temperatures (the printer is loaded with PLA): some 15 s of heating on the Virtual
# Printer, then about 30 s of long moves.
GCODE_HOT = "\n".join(
    ["; Atelier live test", "M104 S200", "M140 S60", "M109 S200", "M190 S60", "G28"]
    + [f"G1 X{10 + (i % 2) * 180} Y{10 + (i % 2) * 180} F3000" for i in range(60)]
    + ["M104 S0", "M140 S0", ""]
).encode()
NOZZLE_LINE = re.compile(
    r'<polyline points="([^"]*)" fill="none" stroke="#c0392b" stroke-width="2"/>'
)


def _nozzle_points(page, url) -> list[str]:
    svg = page.request.get(url).text()
    match = NOZZLE_LINE.search(svg)
    return match.group(1).split() if match else []


def test_a_trainee_watches_the_print_heat_and_the_chart_grow_on_a_phone(
    phone, live_server, celery_worker, printer, trainee
):
    course = course_build(title="Initiation FDM", slot_minutes=720)
    booking = _booking_now(course=course, user=trainee, printer=printer)
    page = phone
    _login(page, trainee.email, PASSWORD)
    page.goto(f"/practicals/bookings/{booking.pk}/")
    page.get_by_label("Votre fichier G-code").set_input_files(
        files=[{"name": "cube-pla.gcode", "mimeType": "text/x-gcode", "buffer": GCODE_HOT}]
    )
    page.get_by_role("button", name="Imprimer").click()
    page.wait_for_url(re.compile(r"/practicals/attempts/\d+/"))
    attempt = PrintAttempt.objects.get(booking=booking)
    page.evaluate("window.pageNotReloaded = true")

    # While the heaters climb, the page says so, with the target beside the reading.
    heating = page.locator("#attempt-heating")
    expect(heating).to_be_visible(timeout=60_000)
    expect(heating).to_have_text("chauffe")
    expect(page.locator("#attempt-nozzle")).to_have_text(re.compile(r"/ 200 °C$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "live-heating")

    # The chart the page shows is redrawn from the readings: its lines change over time.
    chart = page.locator("#attempt-chart")
    wait_for(
        lambda: len(_nozzle_points(page, chart.get_attribute("src"))) >= 2,
        timeout=30,
        what="readings on the chart",
    )
    first_src = chart.get_attribute("src")
    before = _nozzle_points(page, first_src)
    expect(chart).not_to_have_attribute("src", first_src, timeout=20_000)  # the script's refresh
    wait_for(
        lambda: _nozzle_points(page, chart.get_attribute("src")) != before,
        timeout=30,
        what="the chart's nozzle line to change",
    )
    after = _nozzle_points(page, chart.get_attribute("src"))
    assert len(after) > len(before)
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")

    # Heated: the badge goes, the print runs on, and the page shows the end by itself.
    expect(heating).to_be_hidden(timeout=60_000)
    expect(page.locator("#attempt-state")).to_have_text("impression en cours")
    assert page.evaluate("window.pageNotReloaded") is True  # all of the above was live
    page.locator("#attempt-state").filter(has_text="terminée").wait_for(timeout=120_000)
    attempt.refresh_from_db()
    assert attempt.state == PrintAttempt.State.COMPLETED, attempt.message
    shot(page, "live-completed")


def test_the_page_gets_a_fresh_status_url_when_its_token_expires(
    phone, live_server, offline_printer, trainee
):
    """The status URL's token lives a few hours (practicals/status.py): told it expired,
    the page's script reloads the page, which signs a fresh one, and goes on live."""
    course = course_build(title="Initiation FDM", slot_minutes=720)
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    attempt = _attempt_recorded(
        booking, state=PrintAttempt.State.PRINTING, started_at=timezone.now(), progress=10.0
    )
    page = phone
    _login(page, trainee.email, PASSWORD)
    box = page.locator("#attempt")
    with override_settings(ATTEMPT_STATUS_TOKEN_MAX_AGE=2):
        page.goto(f"/practicals/attempts/{attempt.pk}/")
        first_url = box.get_attribute("data-status-url")
        page.evaluate("window.pageNotReloaded = true")
        # The first poll (1 s) still answers; the next (3 s) finds the token expired (410).
        with page.expect_event("load", timeout=20_000):
            pass
    assert page.evaluate("window.pageNotReloaded") is None  # a new document
    expect(box).not_to_have_attribute("data-status-url", first_url)
    page.evaluate("window.pageNotReloaded = true")
    # The fresh URL answers: the page follows the print again without reloading.
    PrintAttempt.objects.filter(pk=attempt.pk).update(progress=55.0)
    expect(page.locator("#attempt-progress")).to_have_text("55 %", timeout=10_000)
    assert page.evaluate("window.pageNotReloaded") is True
