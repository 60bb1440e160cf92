"""OctoPrint behind one door: the rest of Atelier talks to printers only through this package.

`client` wraps octorest for the REST API; `push` reads the push socket.
"""

from practicals.octoprint.client import (
    JobStatus,
    OctoPrintError,
    job_state,
    job_status,
    print_cancel,
    print_start,
    printer_check,
    printer_connect,
    printer_version,
)
from practicals.octoprint.push import PushSocket

__all__ = [
    "JobStatus",
    "OctoPrintError",
    "PushSocket",
    "job_state",
    "job_status",
    "print_cancel",
    "print_start",
    "printer_check",
    "printer_connect",
    "printer_version",
]
