"""Preflight of an uploaded G-code file: is it really G-code, and a reasonable size?

OctoPrint accepts any bytes named `.gcode` and then stalls for half a minute on them
(OCTOPRINT.md), so Atelier checks the file before it ever reaches a printer.
"""

import re

from django.conf import settings
from django.utils.translation import gettext as _

from .exceptions import InvalidGcode

EXTENSIONS = (".gcode", ".gco", ".g")
# A command word (G1, M104, T0) followed by parameters, then an optional ; comment.
_COMMAND = re.compile(r"^[GMT]\d+(\.\d+)?(\s+[A-Z][-+]?[0-9.]*|\s*\*\d+)*\s*$", re.IGNORECASE)
_LINE_NUMBER = re.compile(r"^N\d+\s+", re.IGNORECASE)


def gcode_check(*, filename: str, data: bytes) -> int:
    """Raise InvalidGcode with a reason a trainee understands; return the command count."""
    if not filename.lower().endswith(EXTENSIONS):
        raise InvalidGcode(
            _("“%(name)s” is not a G-code file: the name must end with .gcode.")
            % {"name": filename}
        )
    if not data:
        raise InvalidGcode(_("The file is empty."))
    if len(data) > settings.GCODE_MAX_BYTES:
        raise InvalidGcode(
            _("The file is too large (at most %(mb)d MB).")
            % {"mb": settings.GCODE_MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidGcode(
                _("This file is not text G-code (it contains binary data).")
            ) from None
    commands = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(";", 1)[0].strip()
        if not line:
            continue
        line = _LINE_NUMBER.sub("", line)
        if not _COMMAND.match(line):
            raise InvalidGcode(
                _("Line %(number)d is not G-code: “%(line)s”.")
                % {"number": number, "line": raw.strip()[:60]}
            )
        commands += 1
    if commands == 0:
        raise InvalidGcode(_("The file contains no G-code command."))
    return commands
