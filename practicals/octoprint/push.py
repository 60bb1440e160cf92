"""OctoPrint's push socket (`/sockjs/websocket`): what a printer says as it happens.

octorest's websocket helper frames messages wrongly and cannot log in (OCTOPRINT.md), so
this uses websocket-client directly: a passive login over REST with the API key gives a
user name and a session, sent as the socket's first message ("auth"); without it OctoPrint
sends no status at all. Messages are JSON objects with one key: "connected", "history"
(the last 30 minutes, on connect), "current" (about twice a second), "event", "plugin"...

Every failure, whatever its cause (refused login, closed socket, timeout), is an
OctoPrintError, like the REST client's.
"""

from __future__ import annotations

import contextlib
import json
import socket
from urllib.parse import urlsplit, urlunsplit

import requests
import websocket
from django.utils.translation import gettext

from practicals.octoprint.client import DEFAULT_TIMEOUT, OctoPrintError, TimeoutSession

PATH = "/sockjs/websocket"
READ_SIZE = 65536  # bytes asked of the connection at once (a `current` message is ~1 KiB)


class PushSocket:
    """One authenticated push socket to one OctoPrint. Not thread-safe; one reader."""

    def __init__(self, *, url: str, api_key: str, timeout: float = DEFAULT_TIMEOUT[0]) -> None:
        self.url = url
        self._ws = None
        session = TimeoutSession()
        try:
            answer = session.post(
                url.rstrip("/") + "/api/login",
                json={"passive": True},
                headers={"X-Api-Key": api_key},
            )
            if answer.status_code in (401, 403):
                raise OctoPrintError(
                    gettext("OctoPrint refused the API key. Check the printer's settings."),
                    http_status=answer.status_code,
                )
            answer.raise_for_status()
            login = answer.json()
            # UTF-8 is checked once, when the message is decoded, rather than twice: the
            # library's own check is pure Python and was a tenth of a follower's CPU time.
            self._ws = websocket.create_connection(
                _socket_url(url),
                timeout=timeout,
                skip_utf8_validation=True,
                socket=_buffered(url, timeout=timeout),
            )
            self._ws.send(json.dumps({"auth": f"{login['name']}:{login['session']}"}))
        except OctoPrintError:
            raise
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise _unreachable(url, exc) from exc
        except (websocket.WebSocketException, OSError) as exc:
            raise _unreachable(url, exc) from exc
        finally:
            session.close()

    def receive(self, *, timeout: float) -> dict | None:
        """The next message, or None if none came within `timeout` seconds."""
        if self._ws is None:
            raise OctoPrintError(gettext("The connection to the printer is closed."))
        self._ws.settimeout(timeout)
        try:
            raw = self._ws.recv()
        except (TimeoutError, websocket.WebSocketTimeoutException):
            return None
        except (websocket.WebSocketException, OSError) as exc:
            self.close()
            raise _unreachable(self.url, exc) from exc
        if not raw:  # a close frame
            self.close()
            raise _unreachable(self.url, "closed")
        try:
            message = json.loads(raw)
        except ValueError:
            return {}
        return message if isinstance(message, dict) else {}

    def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(websocket.WebSocketException, OSError):
                self._ws.close(timeout=1)
            self._ws = None


class _BufferedSocket:
    """The socket's TCP connection, read a buffer at a time.

    websocket-client reads each frame with three reads (two header bytes, the length, the
    payload) and the handshake's answer one byte at a time: each a system call, and each a
    release and a new wait for the GIL, which every follower of the worker wants. This one
    reads what has come (up to READ_SIZE) in one call and serves the next reads from it.
    Everything else (send, timeouts, close) is the socket's own."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""
        self._at = 0

    def recv(self, bufsize: int) -> bytes:
        if self._at >= len(self._buffer):
            data = self._sock.recv(max(bufsize, READ_SIZE))
            if len(data) <= bufsize:  # all of it asked for, or the end (b"")
                return data
            self._buffer, self._at = data, 0
        chunk = self._buffer[self._at : self._at + bufsize]
        self._at += len(chunk)
        return chunk

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


def _buffered(url: str, *, timeout: float) -> _BufferedSocket | None:
    """A buffered connection to the printer, or None over TLS (websocket-client's own)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return None
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _BufferedSocket(sock)


def _socket_url(url: str) -> str:
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + PATH, "", ""))


def _unreachable(url: str, exc: object) -> OctoPrintError:
    return OctoPrintError(
        gettext("The printer at %(url)s cannot be reached.") % {"url": url}, detail=str(exc)
    )
