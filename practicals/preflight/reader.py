"""Reading G-code as a stream: one line at a time from a binary file, never all of it.

Understands what real slicers write: `N12 G1 X1 Y2*45` (line numbers and checksums),
compact `G1X10Y10E.5`, `;` and `( )` comments (thumbnails live in comments), free text
after `M117`/`M118`, quoted strings of `M862.x`, `M486` object labels, `T0`.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from ..exceptions import InvalidGcode

# Longest line read at once: a file without line breaks (an image) is refused early.
MAX_LINE_BYTES = 4096

_LINE_NUMBER = re.compile(r"^N\d+\s*", re.IGNORECASE)
_CHECKSUM = re.compile(r"\*\d+\s*$")
_PAREN_COMMENT = re.compile(r"\([^)]*\)")
_COMMAND = re.compile(r"^([GMT])(\d+)(?:\.(\d+))?", re.IGNORECASE)
_PARAM = re.compile(r"\s*([A-Z])\s*([-+]?(?:\d+\.?\d*|\.\d+))?", re.IGNORECASE)
# Commands whose parameters are free text or vendor-specific words.
_FREE_TEXT = {"M23", "M28", "M30", "M32", "M115", "M117", "M118", "M486", "M928"}

_SIGNATURES = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"PK\x03\x04": "ZIP/3MF",
    b"%PDF": "PDF",
    b"solid ": None,  # an ASCII STL is text: refused line by line below
}


@dataclass(frozen=True)
class Line:
    number: int
    text: str  # as written, for messages
    code: str  # "G1", "M104", "M862.3", "T0"; "" for a comment-only line
    params: dict[str, float | None]
    comment: str


def _parse_params(code: str, rest: str, number: int, raw: str) -> dict[str, float | None]:
    if (
        code in _FREE_TEXT
        or code.startswith("M862")
        or (code[0] == "M" and int(code[1:].split(".")[0]) >= 600)
    ):
        return {}  # free text, or vendor commands (M620, M1002…) whose words we do not use
    params: dict[str, float | None] = {}
    pos = 0
    rest = rest.rstrip()
    while pos < len(rest):
        match = _PARAM.match(rest, pos)
        if not match or match.end() == pos:
            raise InvalidGcode(
                _("Line %(number)d is not G-code: “%(line)s”.")
                % {"number": number, "line": raw.strip()[:60]}
            )
        value = match[2]
        params[match[1].upper()] = float(value) if value is not None else None
        pos = match.end()
    return params


def gcode_lines(file: BinaryIO) -> Iterator[Line]:
    """Yield each line of G-code; raise InvalidGcode at the first line that is not."""
    head = file.read(8)
    file.seek(0)
    for signature, kind in _SIGNATURES.items():
        if kind and head.startswith(signature):
            raise InvalidGcode(
                _("This file is a %(kind)s file, not G-code, even if its name ends in .gcode.")
                % {"kind": kind}
            )
    number = 0
    while True:
        raw_bytes = file.readline(MAX_LINE_BYTES + 1)
        if not raw_bytes:
            return
        number += 1
        if len(raw_bytes) > MAX_LINE_BYTES and not raw_bytes.endswith(b"\n"):
            raise InvalidGcode(
                _("Line %(number)d is longer than %(max)d characters: this is not G-code.")
                % {"number": number, "max": MAX_LINE_BYTES}
            )
        if b"\x00" in raw_bytes:
            raise InvalidGcode(_("This file is not text G-code (it contains binary data)."))
        try:
            raw = raw_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidGcode(
                _("This file is not text G-code (it contains binary data).")
            ) from None
        text, _sep, comment = raw.partition(";")
        text = _PAREN_COMMENT.sub("", text).strip()
        text = _CHECKSUM.sub("", _LINE_NUMBER.sub("", text)).strip()
        if not text:
            yield Line(number, raw.rstrip("\r\n"), "", {}, comment.strip())
            continue
        match = _COMMAND.match(text)
        if not match:
            raise InvalidGcode(
                _("Line %(number)d is not G-code: “%(line)s”.")
                % {"number": number, "line": raw.strip()[:60]}
            )
        code = match[1].upper() + str(int(match[2])) + (f".{match[3]}" if match[3] else "")
        params = _parse_params(code, text[match.end() :], number, raw)
        yield Line(number, raw.rstrip("\r\n"), code, params, comment.strip())
