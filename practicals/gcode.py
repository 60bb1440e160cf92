"""Preflight of an uploaded G-code file, as the print service calls it.

OctoPrint accepts any bytes named `.gcode` and then stalls for half a minute on them
(OCTOPRINT.md), so Atelier checks the file before it ever reaches a printer: the rules
live in `practicals.preflight`; this is the door the print service goes through.
"""

import io

from django.core.files import File

from .preflight import EXTENSIONS, preflight_check

__all__ = ["EXTENSIONS", "gcode_check"]


def gcode_check(*, filename: str, data: bytes | File, booking=None, now=None) -> int:
    """Raise InvalidGcode with a reason a trainee understands; return the command count.

    `data` is the file's bytes or a Django `File` (an upload kept on disk, read as a
    stream). With a `booking`, the file is also checked against its printer (volume,
    material, temperatures) and against the time left in its slot.
    """
    if isinstance(data, File):
        file, size = data, data.size
    else:
        file, size = io.BytesIO(data), len(data)
    report = preflight_check(
        file=file,
        filename=filename,
        size=size,
        printer=booking.printer if booking is not None else None,
        slot_ends_at=booking.ends_at if booking is not None else None,
        now=now,
    )
    return report.commands
