"""The render process: `python -m certificates.render.worker FD`, started by the client.

It talks to the process that started it over the socket FD (pickled tuples, through
`multiprocessing.connection`): it says ("ready", pid) once its libraries are loaded, then
answers each request with ("ok", result) or ("error", type, traceback). One request at a
time; requests are
    ("render", RenderJob)          -> the PDF's bytes (signed if the job says with what)
    ("sign", pdf, SigningFiles)    -> the PDF signed
    ("prepare", SigningFiles|None) -> None, fonts, stylesheet and signer loaded
    ("stats",)                     -> its pid, memory, CPU time, whether Django was imported
It exits when the other end closes, when the process that started it is gone, or after
15 idle minutes (the client starts another when needed). It never imports Django: only
WeasyPrint, pyHanko and what they need.
"""

from __future__ import annotations

import os
import resource
import sys
import time
import traceback
from multiprocessing.connection import Connection

# How often an idle worker checks that the process that started it still exists.
PARENT_CHECK_SECONDS = 5.0
# An idle render process gives its memory back after this long; the next request starts
# another (a second or so). A web worker asked for one preview keeps no 110 MiB for ever.
IDLE_EXIT_SECONDS = 15 * 60


def _stats() -> dict:
    """Its own memory, from /proc: VmHWM is the peak resident size of this program.

    Not `ru_maxrss`: Linux carries the peak of the process that started this one into it
    across exec (a Celery worker's 150 MiB and more), which says nothing of rendering.
    """
    status = {}
    with open("/proc/self/status") as lines:
        for line in lines:
            key, _, value = line.partition(":")
            status[key] = value.strip()
    loaded = set(sys.modules)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "pid": os.getpid(),
        "peak_rss_mib": int(status["VmHWM"].split()[0]) / 1024,
        "rss_mib": int(status["VmRSS"].split()[0]) / 1024,
        # What getrusage says, for comparison (in KiB on Linux).
        "ru_maxrss_mib": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "django_loaded": "django" in loaded,
        "wagtail_loaded": "wagtail" in loaded,
    }


def serve(connection: Connection, parent_pid: int, idle_exit: float = IDLE_EXIT_SECONDS) -> None:
    from . import engine  # WeasyPrint and pyHanko: most of a cold start

    connection.send(("ready", os.getpid()))
    idle_since = time.monotonic()
    while True:
        if not connection.poll(min(PARENT_CHECK_SECONDS, idle_exit)):
            if os.getppid() != parent_pid:
                return  # orphaned: whoever asked is gone
            if time.monotonic() - idle_since > idle_exit:
                return  # the client starts another when asked again
            continue
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        operation, *arguments = request
        try:
            if operation == "render":
                result = engine.pdf_render(*arguments)
            elif operation == "sign":
                result = engine.pdf_sign(*arguments)
            elif operation == "prepare":
                result = engine.prepare(*arguments)
            elif operation == "stats":
                result = _stats()
            else:
                raise ValueError(f"unknown request {operation!r}")
        except (KeyboardInterrupt, SystemExit):
            raise
        # BaseException: WeasyPrint stops on a refused file with one (FatalURLFetchingError),
        # so that no handler of its own swallows it. Told to the caller; the worker goes on.
        except BaseException as error:  # noqa: BLE001
            reply = ("error", type(error).__name__, traceback.format_exc())
        else:
            reply = ("ok", result)
        try:
            connection.send(reply)
        except OSError:
            return
        idle_since = time.monotonic()


def main(argv: list[str]) -> int:
    parent_pid = os.getppid()
    connection = Connection(int(argv[1]))
    try:
        serve(connection, parent_pid)
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
