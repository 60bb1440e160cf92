"""The one module that talks to OctoPrint: every call to a printer goes through here.

It wraps octorest 0.4 (last released in 2020) and papers over what it gets wrong against
OctoPrint 1.11 (see docs in `OCTOPRINT.md`):

- octorest sets no timeouts, so a printer that accepts a connection and never answers would
  hang a worker forever: every request goes through `TimeoutSession`.
- octorest raises bare `RuntimeError`s (status only in the text) and lets `requests` errors
  through: callers see one error type, `OctoPrintError`, carrying OctoPrint's own text.
- `upload(select=..., print=...)` silently drops its flags: upload, then select and print.

Public functions take keyword-only arguments and open a fresh session per call: a farm has
few printers and calls are seconds apart, so pooling would buy nothing and cost state.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import octorest
import requests
from django.utils.translation import gettext

from practicals.exceptions import PrinterUnavailable

# (connect, read) in seconds. Loopback and a LAN answer in milliseconds; an upload of a
# large G-code file is the slowest call and still fits in the read timeout.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 10.0)

# How long print_start waits for a (re)connected printer to report Operational.
CONNECT_WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.1

Outcome = Literal["printing", "completed", "failed", "cancelled"]

# States in which the printer is busy with a job (OctoPrint's `state` strings).
_BUSY_STATES = frozenset(
    {
        "Starting",
        "Starting print from SD",
        "Starting to send file to SD",
        "Printing",
        "Printing from SD",
        "Sending file to SD",
        "Transferring file to SD",
        "Pausing",
        "Paused",
        "Resuming",
        "Cancelling",
        "Finishing",
    }
)
# States in which OctoPrint holds no serial connection and must be told to connect.
_DISCONNECTED_STATES = frozenset({"Closed", "Closed with error", "Offline", "Offline after error"})

# octorest's RuntimeError text: "Reply for {url} was not OK: {body} ({status})".
_OCTOREST_ERROR = re.compile(
    r"^Reply for (?P<url>\S+) was not OK: (?P<body>.*) \((?P<status>\d{3})\)$", re.S
)


class OctoPrintError(PrinterUnavailable):
    """Anything that went wrong between Atelier and an OctoPrint server.

    `message` is for people (translated); `detail` keeps OctoPrint's own text and
    `http_status` its HTTP status (None when no answer came at all), for logs and callers
    that need to tell a refusal from an outage.
    """

    def __init__(self, message=None, *, detail: str | None = None, http_status: int | None = None):
        super().__init__(message)
        self.detail = detail
        self.http_status = http_status


class TimeoutSession(requests.Session):
    """A `requests.Session` that gives every request a timeout unless one is passed."""

    def __init__(self, timeout: float | tuple[float, float] | None = None) -> None:
        super().__init__()
        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of `GET /api/job` (and, when the printer is connected, temperatures)."""

    state: str
    completion: float | None
    print_time: int | None
    error: str | None
    file_name: str | None
    bed_temperature: float | None = None
    tool_temperature: float | None = None
    bed_target: float | None = None
    tool_target: float | None = None
    time_left: int | None = None

    @property
    def is_busy(self) -> bool:
        return self.state in _BUSY_STATES

    @property
    def outcome(self) -> Outcome | None:
        """How the current (or last) print went, as OctoPrint can tell right now.

        None means idle with nothing to report (no file, or disconnected without an error).
        "cancelled" is OctoPrint's "Operational with a file but no progress": it is only
        meaningful after a print was started, since a file selected and never printed looks
        the same. A failure is only visible until someone reconnects the printer: record
        each outcome when it happens.
        """
        if self.state == "Offline after error" or self.state.startswith("Error"):
            return "failed"
        if self.state in _BUSY_STATES:
            return "printing"
        if self.state == "Operational" and self.file_name:
            if self.completion is not None and self.completion >= 100:
                return "completed"
            if self.completion is None:
                return "cancelled"
        return None


# -- public API -------------------------------------------------------------------------------


def printer_version(*, url: str, api_key: str) -> str:
    """OctoPrint's version string, e.g. "1.11.8"; the "test connection" of the admin."""
    client = _client(url=url, api_key=api_key)
    return str(client.version.get("server", ""))


@dataclass(frozen=True)
class PrinterCheck:
    reachable: bool
    key_accepted: bool
    state: str = ""
    version: str = ""
    detail: str = ""


def printer_check(*, url: str, api_key: str) -> PrinterCheck:
    """Reachable? Key accepted? Printer state? For the admin's "test connection"; never raises."""
    try:
        client = _client(url=url, api_key=api_key)
        with _errors(url):
            return PrinterCheck(
                reachable=True,
                key_accepted=True,
                state=client.state(),
                version=str(client.version.get("server", "")),
            )
    except OctoPrintError as exc:  # no HTTP status: nothing answered at all
        answered = exc.http_status is not None
        return PrinterCheck(
            reachable=answered,
            key_accepted=answered and exc.http_status not in (401, 403),
            detail=exc.detail or "",
        )


def printer_connect(*, url: str, api_key: str, wait: float = CONNECT_WAIT_SECONDS) -> str:
    """Make sure the printer is connected and settled; return its state.

    A disconnected printer (Closed, or "Offline after error" after a failed print) is told to
    connect with OctoPrint's own port and baud rate settings: the printer's serial setup
    belongs to whoever runs the OctoPrint, not to Atelier. A printing printer is left alone.
    """
    client = _client(url=url, api_key=api_key)
    with _errors(url):
        return _ensure_connected(client, wait=wait)


def print_start(*, url: str, api_key: str, filename: str, content: bytes) -> None:
    """Connect if needed, upload `content` as `filename` and start printing it.

    Raises OctoPrintError if the printer is busy, does not come up within
    CONNECT_WAIT_SECONDS, or refuses the file (OctoPrint wants a `.gcode` name).
    """
    client = _client(url=url, api_key=api_key)
    with _errors(url):
        state = _ensure_connected(client, wait=CONNECT_WAIT_SECONDS)
        if state in _BUSY_STATES:
            raise OctoPrintError(
                gettext("The printer is already printing."), detail=state, http_status=409
            )
        # octorest's upload() sends select/print as JSON beside the multipart body, where
        # OctoPrint ignores them: upload plainly, then select with print=True.
        answer = client.upload((filename, io.BytesIO(content)))
        # OctoPrint may rename the file (it sanitises names): select what it stored.
        stored = (answer.get("files") or {}).get("local") or {}
        client.select(stored.get("path") or filename, print=True)


def job_status(*, url: str, api_key: str) -> JobStatus:
    """The printer's current job: state, progress, OctoPrint's error text and temperatures."""
    client = _client(url=url, api_key=api_key)
    with _errors(url):
        job = client.job_info()
        (bed, bed_target), (tool, tool_target) = _temperatures(client)
    return _job_status(job, bed=bed, bed_target=bed_target, tool=tool, tool_target=tool_target)


def job_state(*, url: str, api_key: str) -> JobStatus:
    """The printer's current job, without temperatures, in one request (`job_status` makes
    three: octorest's version check, the job, the temperatures): the follower's poll, which
    runs for every printer it follows and needs no temperatures (the push socket has them)."""
    with _errors(url), TimeoutSession() as session:
        answer = session.get(url.rstrip("/") + "/api/job", headers={"X-Api-Key": api_key})
        if not answer.ok:  # worded as octorest words it, so that _errors reads it the same
            raise RuntimeError(
                f"Reply for {answer.url} was not OK: {answer.text} ({answer.status_code})"
            )
        job = answer.json()
    return _job_status(job)


def _job_status(job: dict, **temperatures) -> JobStatus:
    progress = job.get("progress") or {}
    file_info = (job.get("job") or {}).get("file") or {}
    completion = progress.get("completion")
    print_time = progress.get("printTime")
    if completion is not None and completion >= 100 and job.get("job", {}).get("lastPrintTime"):
        # printTime counts whole seconds; once done, lastPrintTime has the exact duration.
        print_time = round(job["job"]["lastPrintTime"])
    return JobStatus(
        state=str(job.get("state") or ""),
        completion=float(completion) if completion is not None else None,
        print_time=int(print_time) if print_time is not None else None,
        error=job.get("error") or None,
        file_name=file_info.get("name") or None,
        bed_temperature=temperatures.get("bed"),
        tool_temperature=temperatures.get("tool"),
        bed_target=temperatures.get("bed_target"),
        tool_target=temperatures.get("tool_target"),
        time_left=_int_or_none(progress.get("printTimeLeft")),
    )


def print_cancel(*, url: str, api_key: str) -> None:
    """Cancel the running print. OctoPrint answers 409 when nothing is printing."""
    client = _client(url=url, api_key=api_key)
    with _errors(url):
        client.cancel()


# -- internals --------------------------------------------------------------------------------


def _client(*, url: str, api_key: str) -> octorest.OctoRest:
    # The constructor already calls /api/version, so a wrong key fails here (403).
    with _errors(url):
        try:
            return octorest.OctoRest(url=url, apikey=api_key, session=TimeoutSession())
        except TypeError as exc:  # octorest's way of saying "empty or non-HTTP URL or key"
            raise OctoPrintError(
                gettext("The printer's address or API key is not valid."), detail=str(exc)
            ) from exc


def _ensure_connected(client: octorest.OctoRest, *, wait: float) -> str:
    state = client.state()
    if state in _DISCONNECTED_STATES or state.startswith("Error"):
        client.connect()  # no port/baud rate: OctoPrint uses its configured preferences
    deadline = time.monotonic() + wait
    while state != "Operational" and state not in _BUSY_STATES:
        if time.monotonic() > deadline:
            raise OctoPrintError(
                gettext("The printer did not become ready (state: %(state)s).") % {"state": state},
                detail=state,
            )
        time.sleep(_POLL_SECONDS)
        state = client.state()
    return state


Reading = tuple[float | None, float | None]


def _temperatures(client: octorest.OctoRest) -> tuple[Reading, Reading]:
    """(actual, target) of the bed and of the first tool."""
    try:
        printer = client.printer(exclude=["sd", "state"])
    except RuntimeError as exc:
        if _parse_octorest_error(exc)[0] == 409:  # not connected: no temperatures to report
            return (None, None), (None, None)
        raise
    temps = printer.get("temperature") or {}
    return _reading(temps.get("bed")), _reading(temps.get("tool0"))


def _reading(reading: Any) -> Reading:
    if not isinstance(reading, dict):
        return None, None
    return _float_or_none(reading.get("actual")), _float_or_none(reading.get("target"))


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _int_or_none(value: Any) -> int | None:
    number = _float_or_none(value)
    return round(number) if number is not None else None


def _parse_octorest_error(exc: RuntimeError) -> tuple[int | None, str]:
    """Status and OctoPrint's message from octorest's RuntimeError text."""
    match = _OCTOREST_ERROR.match(str(exc))
    if not match:
        return None, str(exc)
    body = match["body"].strip()
    try:  # OctoPrint's API errors are JSON: {"error": "..."}
        decoded = json.loads(body)
        if isinstance(decoded, dict) and decoded.get("error"):
            body = str(decoded["error"])
    except ValueError:
        body = re.sub(r"<[^>]+>", " ", body)  # Flask's HTML error pages
        body = " ".join(body.split())
    return int(match["status"]), body


@contextmanager
def _errors(url: str) -> Iterator[None]:
    """Turn octorest's and requests' exceptions into OctoPrintError."""
    try:
        yield
    except OctoPrintError:
        raise
    except RuntimeError as exc:
        status, detail = _parse_octorest_error(exc)
        if status in (401, 403):
            message = gettext("OctoPrint refused the API key. Check the printer's settings.")
        elif status == 409:
            message = gettext("The printer cannot do this now: %(detail)s") % {"detail": detail}
        else:
            message = gettext("OctoPrint answered with an error: %(detail)s") % {"detail": detail}
        raise OctoPrintError(message, detail=detail, http_status=status) from exc
    except requests.Timeout as exc:  # before ConnectionError: ConnectTimeout is both
        raise OctoPrintError(
            gettext("The printer at %(url)s did not answer in time.") % {"url": url},
            detail=str(exc),
        ) from exc
    except requests.ConnectionError as exc:
        raise OctoPrintError(
            gettext("The printer at %(url)s cannot be reached.") % {"url": url}, detail=str(exc)
        ) from exc
    except (requests.RequestException, ValueError) as exc:  # ValueError: a non-JSON answer
        raise OctoPrintError(
            gettext("OctoPrint answered with an error: %(detail)s") % {"detail": exc},
            detail=str(exc),
        ) from exc
