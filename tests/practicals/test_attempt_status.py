"""The live status's capability URL: the attempt page signs it for its viewer; the status
view checks only the token (no session, no user), refuses any other token, and says when
a token has expired so that the page's script reloads the page."""

import html
import re
import time
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from practicals.models import PrintAttempt, Printer
from practicals.services.printing import attempt_move
from practicals.status import MAX_AGE, status_url
from tests.practicals.test_printing import _attempt_recorded, _booking_now

State = PrintAttempt.State


@pytest.fixture
def printing(course, trainee, offline_printer):
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    return _attempt_recorded(
        booking,
        state=State.PRINTING,
        started_at=timezone.now(),
        progress=40.0,
        time_left_s=120,
        nozzle_actual=210.0,
        nozzle_target=210.0,
        bed_actual=60.0,
        bed_target=60.0,
        printer_state="Printing",
    )


def _page_status_url(client, attempt) -> str:
    page = client.get(f"/practicals/attempts/{attempt.pk}/").content.decode()
    return html.unescape(re.search(r'data-status-url="([^"]+)"', page)[1])


def test_the_owners_page_gives_a_url_that_answers_without_session_or_user(
    client, trainee, printing, django_assert_num_queries
):
    client.force_login(trainee)
    url = _page_status_url(client, printing)
    assert url.startswith(f"/practicals/attempts/{printing.pk}/status/")
    # Logged in (the session cookie is sent, as a browser does): one query, the attempt's;
    # neither the session (a query with the test settings) nor the user is read.
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")  # the session was never looked at
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    status = response.json()
    assert (status["state"], status["progress"], status["time_left_s"]) == ("printing", 40.0, 120)
    assert status["state_label"] == "impression en cours" and status["heating"] is False
    # The URL is the capability: it answers the same without any session at all.
    assert Client().get(url).json() == status


def test_the_status_follows_the_row_and_a_terminal_state_is_exact(client, trainee, printing):
    url = status_url(attempt_id=printing.pk, viewer_id=trainee.pk)
    attempt_move(printing, State.INTERRUPTED, code="printer_interrupted")
    status = client.get(url).json()
    assert status["state"] == "interrupted" and not status["finished"]
    assert "ne répond plus" in status["message"]  # the stored code, in the reader's language
    printing.refresh_from_db()
    attempt_move(printing, State.FAILED, code="print_lost")
    status = client.get(url).json()
    assert (status["state"], status["finished"], status["time_left_s"]) == ("failed", True, None)


def test_a_token_of_another_attempt_a_tampered_one_or_none_is_refused(
    client, trainee, other_trainee, course, offline_printer, printing
):
    second = Printer.objects.create(
        farm=offline_printer.farm,
        name="Hors ligne 2",
        octoprint_url="http://127.0.0.1:9",
        api_key="x" * 43,
        material=offline_printer.material,
    )
    booking = _booking_now(course=course, user=other_trainee, printer=second)
    theirs = _attempt_recorded(booking, state=State.PRINTING)
    mine = status_url(attempt_id=printing.pk, viewer_id=trainee.pk)
    token = mine.rstrip("/").rsplit("/", 1)[1]
    payload, stamp, signature = token.split(":")
    refused = [
        f"/practicals/attempts/{theirs.pk}/status/{token}/",  # my token, their attempt
        mine.replace(signature, signature[:-1] + ("A" if signature[-1] != "A" else "B")),
        mine.replace(f"{payload}:", f"{theirs.pk}.{trainee.pk}:"),  # payload changed
        f"/practicals/attempts/{printing.pk}/status/{printing.pk}.{trainee.pk}:{stamp}:x/",
        f"/practicals/attempts/{printing.pk}/status/nothing/",
        f"/practicals/attempts/{printing.pk}/status/",  # the old session URL is gone
    ]
    client.force_login(trainee)  # even the owner's session opens nothing without the token
    for url in refused:
        response = client.get(url)
        assert response.status_code == 404, url
    assert client.get(mine).status_code == 200


def test_a_token_older_than_its_lifetime_is_refused_as_expired(client, trainee, printing):
    now = time.time()
    with mock.patch("django.core.signing.time.time", return_value=now - MAX_AGE + 60):
        recent = status_url(attempt_id=printing.pk, viewer_id=trainee.pk)
    with mock.patch("django.core.signing.time.time", return_value=now - MAX_AGE - 60):
        old = status_url(attempt_id=printing.pk, viewer_id=trainee.pk)
    assert client.get(recent).status_code == 200
    response = client.get(old)
    assert response.status_code == 410 and response.json() == {"expired": True}
    assert response["Content-Type"] == "application/json"
    # Expired, and for another attempt: refused as any other token.
    other = old.replace(f"/attempts/{printing.pk}/", f"/attempts/{printing.pk + 1}/")
    assert client.get(other).status_code == 404
    with override_settings(ATTEMPT_STATUS_TOKEN_MAX_AGE=3 * 3600):
        assert client.get(recent).status_code == 410


def test_each_render_of_the_page_gives_a_fresh_token(client, trainee, printing):
    client.force_login(trainee)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 3600):
        first = _page_status_url(client, printing)
    assert _page_status_url(client, printing) != first


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_without_a_second_factor_are_still_sent_to_set_it_up_except_for_the_status(
    client, instructor, printing, django_assert_num_queries
):
    client.force_login(instructor)
    page = client.get(f"/practicals/attempts/{printing.pk}/")
    assert page.status_code == 302 and "/accounts/2fa/" in page["Location"]
    # The status reads neither the session nor the user: the middleware leaves it alone.
    url = status_url(attempt_id=printing.pk, viewer_id=instructor.pk)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
