"""Preflight: nothing reaches a printer before it is checked against that printer and slot.

`preflight_check` reads the file once, as a stream, and raises `InvalidGcode` with a message
in the reader's language naming the line and the rule it breaks. See `reader` (what counts
as G-code) and `rules` (volume, temperatures, material, time left in the slot).
"""

import datetime as dt
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..exceptions import InvalidGcode
from .reader import gcode_lines
from .rules import Checker, Limits, Report

EXTENSIONS = (".gcode", ".gco", ".g")


def limits_for(*, printer=None, slot_ends_at: dt.datetime | None = None, now=None) -> Limits:
    if printer is None:  # syntax only: no printer to check against
        return Limits(
            build=(1e9, 1e9, 1e9), nozzle=(0, 10_000), bed=(0, 10_000), material_names=None
        )
    material = printer.material
    seconds_left = None
    if slot_ends_at is not None:
        seconds_left = max(0.0, (slot_ends_at - (now or timezone.now())).total_seconds())
    return Limits(
        build=(float(printer.build_x), float(printer.build_y), float(printer.build_z)),
        nozzle=(material.nozzle_min, material.nozzle_max) if material else None,
        bed=(material.bed_min, material.bed_max) if material else None,
        material_names=material.names() if material else None,
        material_label=material.name if material else "",
        seconds_left=seconds_left,
    )


def preflight_check(
    *,
    file: BinaryIO,
    filename: str,
    size: int,
    printer=None,
    slot_ends_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """Check a G-code file (an open binary file, read as a stream) for a printer and slot."""
    if not filename.lower().endswith(EXTENSIONS):
        raise InvalidGcode(
            _("“%(name)s” is not a G-code file: the name must end with .gcode.")
            % {"name": filename}
        )
    if size == 0:
        raise InvalidGcode(_("The file is empty."))
    if size > settings.GCODE_MAX_BYTES:
        raise InvalidGcode(too_large_message())
    checker = Checker(limits_for(printer=printer, slot_ends_at=slot_ends_at, now=now))
    file.seek(0)
    for line in gcode_lines(file):
        checker.feed_line(line)
    return checker.finish()


def too_large_message() -> str:
    return _("The file is too large (at most %(mb)d MB).") % {
        "mb": settings.GCODE_MAX_BYTES // (1024 * 1024)
    }


__all__ = ["EXTENSIONS", "Report", "preflight_check", "too_large_message"]
