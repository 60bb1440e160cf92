"""OctoPrint behind one door: the rest of Atelier talks to printers only through `client`."""

from practicals.octoprint.client import (
    JobStatus,
    OctoPrintError,
    job_status,
    print_cancel,
    print_start,
    printer_check,
    printer_connect,
    printer_version,
)

__all__ = [
    "JobStatus",
    "OctoPrintError",
    "job_status",
    "print_cancel",
    "print_start",
    "printer_check",
    "printer_connect",
    "printer_version",
]
