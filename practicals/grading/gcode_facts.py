"""What the attempt's own G-code promised: the slicer's time estimate, the first layer's
time, the filament it extrudes. The checks compare the telemetry against these.

Read as a stream with preflight's reader (never whole into memory). The estimate is the
slicer's when it wrote one (preflight's `Checker` knows PrusaSlicer, Orca, Cura and
Simplify3D), otherwise the moves' length at their feed rate. The first layer's time is always
computed from the moves at the first extruding height (a lower bound: no acceleration).
Filament is the slicer's own figure when written, otherwise the sum of extrusion moves.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.core.cache import cache

from ..exceptions import InvalidGcode
from ..preflight import limits_for
from ..preflight.reader import gcode_lines
from ..preflight.rules import Checker

# "; filament used [mm] = 1234.5" (PrusaSlicer), "; total filament length [mm] : 1234"
# (Orca/Bambu), ";Filament used: 1.2345m" (Cura), ";   Filament length: 1234.5 mm" (S3D).
_FILAMENT_MM = re.compile(
    r"^\s*(?:filament used \[mm\]\s*=|total filament length \[mm\]\s*:|filament length:)"
    r"\s*(?P<mm>[\d.]+)",
    re.IGNORECASE,
)
_FILAMENT_M = re.compile(r"^\s*filament used:\s*(?P<m>[\d.]+)\s*m\b", re.IGNORECASE)
_HEIGHT = 0.005  # two Z heights closer than this are the same layer
FACTS_CACHE_SECONDS = 30 * 24 * 3600


@dataclass
class GcodeFacts:
    estimated_s: float | None = None
    estimate_source: str = ""  # "slicer" or "computed"
    first_layer_s: float | None = None
    layer_zs: list[float] = field(default_factory=list)  # the first extruding heights
    filament_mm: float | None = None


class _Extrusion:
    """Follows E, X, Y, Z and the feed rate to time the first layer and sum extrusion."""

    def __init__(self):
        self.pos = {"X": 0.0, "Y": 0.0, "Z": 0.0}
        self.e = 0.0
        self.absolute = True
        self.absolute_e = True
        self.feed = 1500.0
        self.extruded = 0.0
        self.layer_zs: list[float] = []
        self.first_layer_s = 0.0

    def feed_line(self, code: str, p: dict) -> None:
        if code == "G90":
            self.absolute = self.absolute_e = True
        elif code == "G91":
            self.absolute = self.absolute_e = False
        elif code == "M82":
            self.absolute_e = True
        elif code == "M83":
            self.absolute_e = False
        elif code == "G92":
            if p.get("E") is not None:
                self.e = p["E"]
            for axis in "XYZ":
                if p.get(axis) is not None:
                    self.pos[axis] = p[axis]
        elif code == "G28":
            for axis in [a for a in "XYZ" if a in p] or ["X", "Y", "Z"]:
                self.pos[axis] = 0.0
        elif code in ("G0", "G1"):
            self._move(p)

    def _move(self, p: dict) -> None:
        if p.get("F"):
            self.feed = p["F"]
        new = dict(self.pos)
        for axis in "XYZ":
            if p.get(axis) is not None:
                new[axis] = p[axis] if self.absolute else self.pos[axis] + p[axis]
        delta_e = 0.0
        if p.get("E") is not None:
            target = p["E"] if self.absolute_e else self.e + p["E"]
            delta_e, self.e = target - self.e, target
        length = math.dist((self.pos["X"], self.pos["Y"]), (new["X"], new["Y"]))
        if delta_e > 0:
            self.extruded += delta_e
            known = any(abs(new["Z"] - z) <= _HEIGHT for z in self.layer_zs)
            if length > 0 and not known and len(self.layer_zs) < 2:
                self.layer_zs.append(round(new["Z"], 3))
        on_first = self.layer_zs and abs(new["Z"] - self.layer_zs[0]) <= _HEIGHT
        if on_first and len(self.layer_zs) == 1 and self.feed > 0:
            travel = math.dist(
                (self.pos["X"], self.pos["Y"], self.pos["Z"]), (new["X"], new["Y"], new["Z"])
            )
            self.first_layer_s += travel / (self.feed / 60.0)
        self.pos = new


def gcode_facts(file: BinaryIO) -> GcodeFacts:
    """Read a G-code file (open, binary) once; raise InvalidGcode if it is not G-code."""
    checker = Checker(limits_for(printer=None))
    extrusion = _Extrusion()
    filament_mm = None
    file.seek(0)
    for line in gcode_lines(file):
        checker.feed_line(line)
        if line.comment and filament_mm is None:
            if match := _FILAMENT_MM.match(line.comment):
                filament_mm = _float(match["mm"])
            elif match := _FILAMENT_M.match(line.comment):
                metres = _float(match["m"])
                filament_mm = metres * 1000 if metres is not None else None
        if line.code:
            extrusion.feed_line(line.code, line.params)
    report = checker.report
    facts = GcodeFacts(layer_zs=extrusion.layer_zs)
    if report.slicer_seconds is not None:
        facts.estimated_s, facts.estimate_source = float(report.slicer_seconds), "slicer"
    elif report.computed_seconds > 0:
        facts.estimated_s, facts.estimate_source = report.computed_seconds, "computed"
    if len(extrusion.layer_zs) >= 2 and extrusion.first_layer_s > 0:
        facts.first_layer_s = round(extrusion.first_layer_s, 1)
    if filament_mm is None and extrusion.extruded > 0:
        filament_mm = extrusion.extruded
    facts.filament_mm = round(filament_mm, 2) if filament_mm is not None else None
    return facts


def attempt_gcode_facts(attempt) -> GcodeFacts | None:
    """The facts of an attempt's stored file; None when the file is gone or unreadable.

    Reading a long print's file takes seconds (as preflight's read did), and a stored file
    never changes: the facts are cached per attempt and file name."""
    if not attempt.gcode:
        return None
    key = f"gcode-facts:{attempt.pk}:{attempt.gcode.name}"
    cached = cache.get(key)
    if cached is not None:
        return GcodeFacts(**cached)
    try:
        with attempt.gcode.open("rb") as file:
            facts = gcode_facts(file)
    except (OSError, InvalidGcode, ValueError):
        return None
    cache.set(key, asdict(facts), timeout=FACTS_CACHE_SECONDS)
    return facts


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
