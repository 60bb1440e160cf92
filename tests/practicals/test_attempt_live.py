"""The live attempt page: state, heating, progress, temperatures, chart, messages; in French."""

import pytest
from django.utils import timezone, translation

from practicals.models import AttemptTelemetry, PrintAttempt
from practicals.services.printing import attempt_move
from tests.practicals.test_attempt_status import _page_status_url
from tests.practicals.test_printing import _attempt_recorded, _booking_now

State = PrintAttempt.State


@pytest.fixture
def heating_attempt(course, trainee, offline_printer):
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    attempt = _attempt_recorded(
        booking,
        state=State.PRINTING,
        started_at=timezone.now(),
        progress=12.5,
        time_left_s=340,
        nozzle_actual=41.0,
        nozzle_target=210.0,
        bed_actual=60.0,
        bed_target=60.0,
        printer_state="Printing",
    )
    AttemptTelemetry.objects.create(
        attempt=attempt,
        minute=0,
        samples={
            "t": [0, 2, 4],
            "n": [21.0, 31.0, 41.0],
            "nt": [210.0, 210.0, 210.0],
            "b": [58.0, 59.0, 60.0],
            "bt": [60.0, 60.0, 60.0],
        },
        marks=[[0, "state", "Printing"]],
    )
    return attempt


def test_the_status_says_heating_and_gives_temperatures(client, trainee, heating_attempt):
    client.force_login(trainee)
    status = client.get(_page_status_url(client, heating_attempt)).json()
    assert status["heating"] is True
    assert status["state_label"] == "impression en cours"
    assert (status["nozzle"], status["nozzle_target"]) == (41.0, 210.0)
    assert (status["progress"], status["time_left_s"]) == (12.5, 340)
    html = client.get(f"/practicals/attempts/{heating_attempt.pk}/").text
    assert "chauffe" in html and 'max="100" value="13"' in html
    assert "41 / 210 °C" in html and "Temps restant" in html
    assert "<script>" not in html and "style=" not in html


def test_the_chart_is_an_svg_of_the_attempts_readings(client, trainee, heating_attempt):
    client.force_login(trainee)
    response = client.get(f"/practicals/attempts/{heating_attempt.pk}/chart.svg")
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.count("<polyline") == 4 and "buse" in svg and "plateau" in svg


def test_another_trainee_sees_neither_status_nor_chart(client, other_trainee, heating_attempt):
    # The status URL is signed by the attempt page, which refuses them
    # (tests/practicals/test_attempt_status.py).
    client.force_login(other_trainee)
    for suffix in ("", "chart.svg"):
        url = f"/practicals/attempts/{heating_attempt.pk}/{suffix}"
        assert client.get(url).status_code == 403


def test_an_interrupted_print_is_shown_with_its_reason_in_the_readers_language(
    client, trainee, heating_attempt
):
    attempt_move(heating_attempt, State.INTERRUPTED, code="printer_interrupted")
    client.force_login(trainee)
    html = client.get(f"/practicals/attempts/{heating_attempt.pk}/").text
    assert "imprimante injoignable" in html
    assert "ne répond plus pendant l’impression" in html
    # The same stored code reads in English for an English reader.
    heating_attempt.refresh_from_db()
    with translation.override("en"):
        assert heating_attempt.message.startswith("The printer stopped answering")
    assert heating_attempt.message_params == {}
