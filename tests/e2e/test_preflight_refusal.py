"""Preflight in a real browser: files that must not reach a printer are refused on the
booking page with a French message naming the line and the rule, and nothing reaches the
real Virtual Printer (no file uploaded to OctoPrint, no job, no attempt, nothing kept).

A file that is not named .gcode is covered by test_trainee_path.py.
"""

import json
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from practicals.models import PrintAttempt
from practicals.octoprint import client
from tests.e2e.test_trainee_path import _login, shot
from tests.fixtures.courses import PASSWORD, course_build
from tests.practicals.test_printing import _booking_now

pytestmark = pytest.mark.e2e
NBSP = "\u00a0"

OUTSIDE = "\n".join(
    ["; Atelier test", "G21", "G90", "G28", "G1 X10 Y10 F6000", "G1 X250 Y10 F6000", "M84", ""]
).encode()
TOO_HOT = b"; PLA\nG28\nM104 S260\nG1 X10 Y10 F6000\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _octoprint_files(printer) -> list[str]:
    """Every file OctoPrint holds, from its own API (not through Atelier's client)."""
    request = urllib.request.Request(
        f"{printer.octoprint_url}/api/files?recursive=true",
        headers={"X-Api-Key": printer.api_key},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return sorted(entry["path"] for entry in json.load(answer)["files"])


def _send(page, name, content, mime="text/x-gcode"):
    page.get_by_label("Votre fichier G-code").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    page.get_by_role("button", name="Imprimer").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    return alert.inner_text()


@pytest.mark.parametrize(
    ("name", "content", "mime", "expected"),
    [
        (
            "hors-volume.gcode",
            OUTSIDE,
            "text/x-gcode",
            [
                "Ligne 6 : le déplacement vers X 250 mm sort du volume d’impression",
                "(X de 0 à 200 mm)",
                "« G1 X250 Y10 F6000 »",
            ],
        ),
        (
            "trop-chaud.gcode",
            TOO_HOT,
            "text/x-gcode",
            ["Ligne 3 : la température de buse de 260 °C est hors de la plage du PLA"],
        ),
        (
            "photo.gcode",
            PNG,
            "image/png",
            ["Ce fichier est un fichier PNG, pas du G-code, même si son nom finit par .gcode."],
        ),
    ],
    ids=["outside-the-volume", "too-hot-for-the-material", "png-named-gcode"],
)
def test_a_refused_file_says_why_in_french_and_nothing_reaches_the_printer(
    phone, live_server, printer, trainee, name, content, mime, expected
):
    course = course_build(title="Initiation FDM", slot_minutes=720)
    booking = _booking_now(course=course, user=trainee, printer=printer)
    files_before = _octoprint_files(printer)
    # The session's OctoPrint may still name an earlier test's finished job: compare.
    job_before = client.job_status(url=printer.octoprint_url, api_key=printer.api_key).file_name
    kept = Path(settings.MEDIA_ROOT) / "gcode" / str(trainee.pk)
    kept_before = sorted(kept.iterdir()) if kept.exists() else []

    page = phone
    _login(page, trainee.email, PASSWORD)
    page.goto(f"/practicals/bookings/{booking.pk}/")
    message = _send(page, name, content, mime)
    plain = message.replace(NBSP, " ")
    for words in expected:
        assert words in plain, message
    if "Ligne" in message:  # French typography: a non-breaking space before the colon
        assert f"{NBSP}:" in message, message
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"preflight-{name.removesuffix('.gcode')}")

    # Nothing went anywhere: no attempt, no file at OctoPrint, no job, nothing kept.
    assert not PrintAttempt.objects.filter(booking=booking).exists()
    assert _octoprint_files(printer) == files_before
    status = client.job_status(url=printer.octoprint_url, api_key=printer.api_key)
    assert not status.is_busy
    assert status.file_name == job_before  # no file of this booking was selected
    assert (sorted(kept.iterdir()) if kept.exists() else []) == kept_before
    # The form is still there for a corrected file.
    expect(page.get_by_label("Votre fichier G-code")).to_be_visible()
