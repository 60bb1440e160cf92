"""The door to the render process, from a process that has Django loaded.

One render process per process that asks (a Celery worker, a web worker, pytest), started
on the first request, not at import; started again if it died; stopped and started again
if a request outlasts its timeout. Threads of one process take turns (a lock): the
rendering is CPU-bound Python, so they could not run it side by side in one process
anyway, and one render process keeps the memory at one renderer's.

Errors: `RenderUnavailable` (an OSError: the process would not start, died, or did not
answer in time; the issuing task retries those later) and `RenderFailed` (the rendering
itself failed, e.g. a refused file: retrying would fail again).
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from .jobs import RenderJob, SigningFiles

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Loading WeasyPrint and pyHanko takes about a second on a quiet machine, several on a
# busy one; a certificate takes 50 to 100 ms.
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0


class RenderUnavailable(OSError):
    """The render process could not start, died, or did not answer in time."""


class RenderFailed(RuntimeError):
    """The render process answered that this job cannot be rendered (with its traceback)."""

    def __init__(self, kind: str, details: str):
        super().__init__(f"{kind} in the render process:\n{details}")
        self.kind = kind


class RenderWorker:
    """A render process of this process's own, and the requests sent to it."""

    def __init__(self, *, start_timeout: float = START_TIMEOUT, timeout: float = REQUEST_TIMEOUT):
        self.start_timeout = start_timeout
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._connection: Connection | None = None

    # The requests --------------------------------------------------------------------

    def render(self, job: RenderJob, *, timeout: float | None = None) -> bytes:
        return self.request("render", job, timeout=timeout)

    def sign(self, pdf: bytes, signing: SigningFiles) -> bytes:
        return self.request("sign", pdf, signing)

    def prepare(self, signing: SigningFiles | None) -> None:
        """Start the process and load fonts, stylesheet and signer (a worker's start)."""
        self.request("prepare", signing, timeout=self.start_timeout)

    def stats(self) -> dict:
        """The render process's pid, resident and peak memory (MiB), Django loaded or not."""
        return self.request("stats")

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def request(self, *message, timeout: float | None = None):
        """Send one request and wait for its answer. A process found dead (before or while
        answering) is started again and asked once more: rendering has no side effect."""
        timeout = self.timeout if timeout is None else timeout
        with self._lock:
            for attempt in (1, 2):
                connection = self._started()
                try:
                    connection.send(message)
                    answered = connection.poll(timeout)
                    reply = connection.recv() if answered else None
                except (EOFError, OSError) as error:
                    code = self._stop()
                    if attempt == 2:
                        raise RenderUnavailable(
                            f"the render process died while rendering (exit code {code})"
                        ) from error
                    continue
                if reply is None:
                    self._stop()
                    raise RenderUnavailable(f"the render process did not answer in {timeout:g} s")
                status, *payload = reply
                if status == "ok":
                    return payload[0]
                raise RenderFailed(*payload)
        raise AssertionError("unreachable")

    # The process ---------------------------------------------------------------------

    def _started(self) -> Connection:
        if self._process is not None and self._process.poll() is None:
            return self._connection
        self._stop()
        ours, theirs = socket.socketpair()
        try:
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(_python_path())}
            self._process = subprocess.Popen(
                [sys.executable, "-m", "certificates.render.worker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        self._connection = Connection(ours.detach())
        try:
            ready = self._connection.poll(self.start_timeout)
            hello = self._connection.recv() if ready else None
        except (EOFError, OSError):
            hello = None
        if not hello or hello[0] != "ready":
            code = self._stop()
            raise RenderUnavailable(
                f"the render process did not start (exit code {code}; its error is in stderr)"
            )
        return self._connection

    def _stop(self) -> int | None:
        """Close the connection and end the process; its exit code (None if it was killed)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        process, self._process = self._process, None
        if process is None:
            return None
        try:  # a process whose end of the socket closed is usually exiting: its code
            return process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
            return None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _forget_after_fork(self) -> None:
        """In a forked child: the render process is the parent's; leave it to the parent
        (close only this copy of the socket) and start one's own when asked."""
        self._lock = threading.Lock()
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self._process = None


def _python_path() -> list[str]:
    existing = os.environ.get("PYTHONPATH", "")
    return [str(PROJECT_ROOT), *(p for p in existing.split(os.pathsep) if p)]


_worker = RenderWorker()
os.register_at_fork(after_in_child=_worker._forget_after_fork)
atexit.register(_worker.close)


def render_worker() -> RenderWorker:
    """This process's render worker."""
    return _worker
