"""The OctoPrint client against a real OctoPrint and its Virtual Printer (never mocked)."""

import socket
import time

import pytest
from django.utils import translation

from practicals.octoprint import client
from practicals.octoprint.client import JobStatus, OctoPrintError
from tests.waiting import wait_for

# No heating, short moves: prints in under a second on the Virtual Printer.
SMALL_PRINT = "G21\nG90\nG28\n" + "".join(
    f"G1 X{10 + i % 50} Y{10 + i % 30} Z0.3 F3000\n" for i in range(250)
)
# The Virtual Printer simulates a thermal runaway on reaching this line.
FAILING_PRINT = "G21\nG90\nG28\nG1 X10 Y10 F3000\n!!DEBUG:trigger_fatal_error_marlin\nG1 X20\n"
# Long XY moves are simulated at a tenth of their real time: over a minute, plenty to cancel.
LONG_PRINT = "G21\nG90\nG28\n" + "".join(
    f"G1 X{10 + i % 100} Y{10 + i % 80} F3000\n" for i in range(1000)
)


@pytest.fixture(autouse=True)
def _english():
    # The site speaks French by default; these tests assert the English source messages.
    with translation.override("en"):
        yield


def _settled(server, *, timeout: float = 30) -> JobStatus:
    """Poll until the print is over (bounded), return the last status."""

    def over():
        status = client.job_status(url=server.url, api_key=server.api_key)
        return status if status.outcome not in ("printing", None) else None

    return wait_for(over, timeout=timeout, interval=0.2, what="the print to end")


def _start(server, name: str, gcode: str) -> None:
    client.print_start(
        url=server.url, api_key=server.api_key, filename=name, content=gcode.encode()
    )


def test_version_of_a_real_octoprint(virtual_printer):
    assert client.printer_version(url=virtual_printer.url, api_key=virtual_printer.api_key) == (
        "1.11.8"
    )


def test_a_small_print_completes(virtual_printer):
    _start(virtual_printer, "small.gcode", SMALL_PRINT)

    status = _settled(virtual_printer)

    assert status.outcome == "completed"
    assert status.state == "Operational"
    assert status.completion == 100
    assert status.print_time is not None  # whole seconds: 0 for so short a print
    assert status.file_name == "small.gcode"
    assert status.error is None


def test_temperatures_are_reported_while_connected(virtual_printer):
    url, key = virtual_printer.url, virtual_printer.api_key
    # Right after a (re)connect OctoPrint has no reading yet: the Virtual Printer reports
    # every couple of seconds.
    status = wait_for(
        lambda: (s := client.job_status(url=url, api_key=key)).tool_temperature is not None and s,
        timeout=10,
        what="a temperature reading",
    )
    assert 15 < status.tool_temperature < 300
    assert status.bed_temperature is not None


def test_a_print_that_fails_keeps_octoprints_error_text(virtual_printer):
    _start(virtual_printer, "runaway.gcode", FAILING_PRINT)

    assert _settled(virtual_printer).outcome == "failed"
    # OctoPrint says "Error" for a moment, then closes the port: "Offline after error".
    status = wait_for(
        lambda: (
            (s := client.job_status(url=virtual_printer.url, api_key=virtual_printer.api_key)).state
            == "Offline after error"
            and s
        ),
        timeout=10,
        what="the printer to go offline after the error",
    )
    assert status.outcome == "failed"
    assert "Thermal Runaway" in status.error  # OctoPrint's own words, shown to the trainee
    assert status.tool_temperature is None  # /api/printer answers 409 when offline


def test_print_start_reconnects_a_printer_left_offline_by_an_error(virtual_printer):
    _start(virtual_printer, "runaway.gcode", FAILING_PRINT)
    assert _settled(virtual_printer).outcome == "failed"

    _start(virtual_printer, "small.gcode", SMALL_PRINT)

    assert _settled(virtual_printer).outcome == "completed"


def test_a_cancelled_print_and_a_busy_printer(virtual_printer):
    url, key = virtual_printer.url, virtual_printer.api_key
    _start(virtual_printer, "long.gcode", LONG_PRINT)
    wait_for(
        lambda: client.job_status(url=url, api_key=key).outcome == "printing",
        timeout=10,
        what="the print to start",
    )

    with pytest.raises(OctoPrintError) as busy:
        _start(virtual_printer, "small.gcode", SMALL_PRINT)
    assert busy.value.message == "The printer is already printing."

    client.print_cancel(url=url, api_key=key)
    status = _settled(virtual_printer)

    assert status.outcome == "cancelled"
    assert status.state == "Operational"
    assert status.completion is None


def test_cancel_with_nothing_printing_is_refused(virtual_printer):
    with pytest.raises(OctoPrintError) as refused:
        client.print_cancel(url=virtual_printer.url, api_key=virtual_printer.api_key)
    assert refused.value.http_status == 409


def test_a_wrong_api_key_is_refused(virtual_printer):
    with pytest.raises(OctoPrintError) as refused:
        client.job_status(url=virtual_printer.url, api_key="0123456789abcdef0123456789abcdef")
    assert refused.value.http_status == 403
    assert refused.value.message == "OctoPrint refused the API key. Check the printer's settings."


def test_the_followers_poll_tells_the_job_as_the_full_status_does(virtual_printer):
    _start(virtual_printer, "small.gcode", SMALL_PRINT)
    full = _settled(virtual_printer)

    poll = client.job_state(url=virtual_printer.url, api_key=virtual_printer.api_key)

    assert poll.outcome == full.outcome == "completed"
    assert (poll.state, poll.completion, poll.print_time, poll.file_name, poll.error) == (
        full.state,
        full.completion,
        full.print_time,
        full.file_name,
        full.error,
    )
    assert poll.tool_temperature is None  # the push socket gives the temperatures


def test_the_followers_poll_fails_as_the_full_status_does(virtual_printer):
    with pytest.raises(OctoPrintError) as refused:
        client.job_state(url=virtual_printer.url, api_key="0123456789abcdef0123456789abcdef")
    assert refused.value.http_status == 403
    assert refused.value.message == "OctoPrint refused the API key. Check the printer's settings."

    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(OctoPrintError) as unreachable:
        client.job_state(url=url, api_key="x" * 43)
    assert unreachable.value.http_status is None
    assert unreachable.value.message == f"The printer at {url} cannot be reached."


def test_nothing_listening_fails_fast():
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()

    with pytest.raises(OctoPrintError) as unreachable:
        client.job_status(url=url, api_key="x" * 43)

    assert time.monotonic() - started < 2
    assert unreachable.value.http_status is None
    assert unreachable.value.message == f"The printer at {url} cannot be reached."


def test_a_server_that_never_answers_times_out(monkeypatch):
    # Accepts the connection (listen backlog) but never answers: octorest alone would hang.
    monkeypatch.setattr(client, "DEFAULT_TIMEOUT", (1.0, 1.0))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(OctoPrintError) as silent:
            client.printer_version(url=url, api_key="x" * 43)
    assert time.monotonic() - started < 5
    assert silent.value.message == f"The printer at {url} did not answer in time."


@pytest.mark.parametrize(
    ("state", "completion", "file_name", "error", "outcome"),
    [
        ("Operational", None, None, None, None),
        ("Printing", 12.5, "a.gcode", None, "printing"),
        ("Finishing", 100.0, "a.gcode", None, "printing"),
        ("Operational", 100.0, "a.gcode", None, "completed"),
        ("Operational", None, "a.gcode", None, "cancelled"),
        ("Offline after error", None, None, "Thermal Runaway", "failed"),
        ("Closed", None, None, None, None),
    ],
)
def test_outcome_follows_octoprints_states(state, completion, file_name, error, outcome):
    status = JobStatus(
        state=state, completion=completion, print_time=None, error=error, file_name=file_name
    )
    assert status.outcome == outcome
