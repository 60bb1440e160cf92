"""What preflight checks, line by line, against one printer and one slot.

- moves stay inside the build volume (with a margin of `MOVE_MARGIN_MM`: start G-code of
  real printers parks or purges a few millimetres outside the printable area, e.g. Prusa's
  `G1 Y-3`); positions follow G90/G91, G92, G20/G21 and G28;
- nozzle (M104/M109) and bed (M140/M190) temperatures within the loaded material's ranges:
  no line may go above the maximum, and the hottest temperature of the print must reach the
  minimum (a lower standby temperature, like the MK4's 170 °C for probing, is fine; 0
  switches a heater off);
- the slicer's declared filament type is the loaded material (or one of its other names);
- the print time fits in what is left of the slot: the slicer's own estimate when it wrote
  one, otherwise the sum of every move's length at its feed rate (a lower bound).
"""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..exceptions import InvalidGcode
from .reader import Line

MOVE_MARGIN_MM = 5.0
_INCH = 25.4

# The slicer's filament type: PrusaSlicer/SuperSlicer/OrcaSlicer/Bambu Studio
# ("; filament_type = PLA", several extruders separated by ";"), Simplify3D
# (";   printMaterial,PLA"), Cura (";MATERIAL_TYPE:PLA" in some printer flavours).
_FILAMENT = re.compile(
    r"^\s*(?:filament_type\s*=|printMaterial\s*,|MATERIAL_TYPE\s*:)\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
# The slicer's own time estimate.
_PRUSA_TIME = re.compile(
    r"^\s*estimated printing time(?: \(normal mode\))?\s*=\s*(?P<value>.+)$", re.IGNORECASE
)
_ORCA_TIME = re.compile(r"total estimated time:\s*(?P<value>[\dhdms ]+)", re.IGNORECASE)
_CURA_TIME = re.compile(r"^TIME:(?P<seconds>\d+)\s*$")
_S3D_TIME = re.compile(
    r"^\s*Build time:\s*(?P<hours>\d+) hours? (?P<minutes>\d+) minutes?", re.IGNORECASE
)
_DURATION_PART = re.compile(r"(\d+)\s*([dhms])")


def _duration(text: str) -> int | None:
    parts = _DURATION_PART.findall(text)
    if not parts:
        return None
    unit = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(int(n) * unit[u] for n, u in parts)


@dataclass
class Limits:
    build: tuple[float, float, float]
    nozzle: tuple[int, int] | None
    bed: tuple[int, int] | None
    material_names: set[str] | None
    material_label: str = ""
    seconds_left: float | None = None


@dataclass
class Report:
    commands: int = 0
    filament_type: str | None = None
    slicer_seconds: int | None = None
    computed_seconds: float = 0.0
    max_nozzle: float = 0.0
    max_bed: float = 0.0
    hottest_line: dict[str, Line] = field(default_factory=dict)
    extent: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def estimated_seconds(self) -> float:
        return self.slicer_seconds if self.slicer_seconds is not None else self.computed_seconds


class Checker:
    """Feed it every line in order; it raises InvalidGcode at the first broken rule."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.report = Report()
        self.position = {"X": 0.0, "Y": 0.0, "Z": 0.0}
        self.absolute = True
        self.scale = 1.0
        self.feed = 1500.0  # mm/min, until the file sets one

    def feed_line(self, line: Line) -> None:
        if line.comment:
            self._comment(line)
        if not line.code:
            return
        self.report.commands += 1
        code, p = line.code, line.params
        if code in ("G0", "G1", "G2", "G3"):
            self._move(line)
        elif code == "G90":
            self.absolute = True
        elif code == "G91":
            self.absolute = False
        elif code == "G20":
            self.scale = _INCH
        elif code == "G21":
            self.scale = 1.0
        elif code == "G28":
            axes = [a for a in "XYZ" if a in p] or ["X", "Y", "Z"]
            for axis in axes:
                self.position[axis] = 0.0
        elif code == "G92":
            for axis in "XYZ":
                if p.get(axis) is not None:
                    self.position[axis] = p[axis] * self.scale
        elif code in ("M104", "M109"):
            self._temperature(line, self.limits.nozzle, _("nozzle"), "max_nozzle")
        elif code in ("M140", "M190"):
            self._temperature(line, self.limits.bed, _("bed"), "max_bed")

    def finish(self) -> Report:
        if self.report.commands == 0:
            raise InvalidGcode(_("The file contains no G-code command."))
        for record, limits, heater in (
            ("max_nozzle", self.limits.nozzle, _("nozzle")),
            ("max_bed", self.limits.bed, _("bed")),
        ):
            hottest = getattr(self.report, record)
            if limits and 0 < hottest < limits[0]:
                self._temperature_refused(self.report.hottest_line[record], heater, hottest, limits)
        left = self.limits.seconds_left
        estimate = self.report.estimated_seconds
        if left is not None and estimate > left:
            source = (
                _("the slicer's estimate")
                if self.report.slicer_seconds is not None
                else _("computed from the moves")
            )
            raise InvalidGcode(
                _(
                    "This print needs about %(need)s (%(source)s) but only %(left)s are left "
                    "in your slot. Slice a smaller or faster print, or book a longer slot."
                )
                % {"need": _human(estimate), "source": source, "left": _human(left)}
            )
        return self.report

    # -- rules ----------------------------------------------------------------------------

    def _comment(self, line: Line) -> None:
        comment = line.comment
        if (match := _FILAMENT.match(comment)) and self.report.filament_type is None:
            types = [t.strip().strip('"') for t in re.split(r"[;,]", match["value"]) if t.strip()]
            if types:
                self.report.filament_type = types[0]
                names = self.limits.material_names
                if names is not None and not any(t.upper() in names for t in types):
                    raise InvalidGcode(
                        _(
                            "Line %(number)d: the file was sliced for %(sliced)s, but the "
                            "printer is loaded with %(loaded)s. Slice it again for %(loaded)s."
                        )
                        % {
                            "number": line.number,
                            "sliced": ", ".join(types),
                            "loaded": self.limits.material_label,
                        }
                    )
            return
        if self.report.slicer_seconds is None:
            for pattern in (_PRUSA_TIME, _ORCA_TIME):
                if match := pattern.search(comment):
                    self.report.slicer_seconds = _duration(match["value"])
                    return
            if match := _CURA_TIME.match(comment):
                self.report.slicer_seconds = int(match["seconds"])
            elif match := _S3D_TIME.match(comment):
                self.report.slicer_seconds = int(match["hours"]) * 3600 + int(match["minutes"]) * 60

    def _move(self, line: Line) -> None:
        p = line.params
        if p.get("F"):
            self.feed = p["F"] * self.scale
        start = dict(self.position)
        for axis in "XYZ":
            value = p.get(axis)
            if value is None:
                continue
            value *= self.scale
            self.position[axis] = value if self.absolute else self.position[axis] + value
        distance = math.dist(start.values(), self.position.values())
        if self.feed > 0:
            self.report.computed_seconds += distance / self.feed * 60
        for axis, size in zip("XYZ", self.limits.build, strict=True):
            if axis not in p:
                continue
            value = self.position[axis]
            low, high = self.report.extent.get(axis, (value, value))
            self.report.extent[axis] = (min(low, value), max(high, value))
            floor = -MOVE_MARGIN_MM if axis != "Z" else -1.0
            ceiling = size + (MOVE_MARGIN_MM if axis != "Z" else 0.0)
            if not floor <= value <= ceiling:
                raise InvalidGcode(
                    _(
                        "Line %(number)d: the move to %(axis)s %(value)s mm leaves the "
                        "printer's build volume (%(axis)s from 0 to %(size)s mm): “%(line)s”."
                    )
                    % {
                        "number": line.number,
                        "axis": axis,
                        "value": f"{value:g}",
                        "size": f"{size:g}",
                        "line": line.text.strip()[:60],
                    }
                )

    def _temperature(self, line: Line, limits, heater: str, record: str) -> None:
        value = line.params.get("S")
        if value is None:
            value = line.params.get("R")
        if value is None or value == 0:
            return
        if value > getattr(self.report, record):
            setattr(self.report, record, value)
            self.report.hottest_line[record] = line
        if limits is None:
            raise InvalidGcode(
                _(
                    "Line %(number)d sets a temperature, but no material is recorded as loaded "
                    "in this printer: ask the farm to set it."
                )
                % {"number": line.number}
            )
        if value > limits[1]:
            self._temperature_refused(line, heater, value, limits)

    def _temperature_refused(self, line: Line, heater: str, value: float, limits) -> None:
        low, high = limits
        raise InvalidGcode(
            _(
                "Line %(number)d: %(heater)s temperature %(value)s °C is outside the range "
                "of %(material)s (%(low)s–%(high)s °C): “%(line)s”."
            )
            % {
                "number": line.number,
                "heater": heater,
                "value": f"{value:g}",
                "material": self.limits.material_label,
                "low": low,
                "high": high,
                "line": line.text.strip()[:60],
            }
        )


def _human(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


def seconds_between(start: dt.datetime, end: dt.datetime) -> float:
    return max(0.0, (end - start).total_seconds())
