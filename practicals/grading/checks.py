"""Automatic checks: pure functions of an attempt's outcome, telemetry and G-code facts.

Each named check takes a `CheckInput` and a threshold and returns a `CheckResult`: the
measured value, the threshold, a verdict and a message code with its parameters (see
`practicals.grading.messages`). A check that lacks the data it needs says "not measurable"
and why, rather than guessing. Register more with `@check("name")`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..services.telemetry import Series
from .gcode_facts import GcodeFacts

HEAT_MARGIN = 3.0  # °C: heat-up is done when every heater is this close to its target
BAND = 5.0  # °C: printing time outside target ± this counts against the print


class Verdict:
    PASS = "pass"
    FAIL = "fail"
    UNMEASURABLE = "unmeasurable"


@dataclass(frozen=True)
class CheckInput:
    """What the checks read: the attempt's end, its telemetry, its G-code's promises."""

    state: str
    message_code: str = ""
    message_params: dict = field(default_factory=dict)
    print_time_s: float | None = None
    progress: float | None = None
    series: Series = field(default_factory=Series)
    facts: GcodeFacts | None = None


@dataclass(frozen=True)
class CheckResult:
    kind: str
    verdict: str
    code: str
    value: float | None = None
    threshold: float | None = None
    unit: str = ""
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


CheckFunction = Callable[[CheckInput, float], CheckResult]
CHECKS: dict[str, CheckFunction] = {}


def check(name: str):
    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = function
        return function

    return register


def check_run(kind: str, data: CheckInput, threshold: float) -> CheckResult:
    function = CHECKS.get(kind)
    if function is None:
        return CheckResult(kind, Verdict.UNMEASURABLE, "unknown_check")
    return function(data, threshold)


def _unmeasurable(kind: str, code: str, threshold: float | None, unit: str) -> CheckResult:
    return CheckResult(kind, Verdict.UNMEASURABLE, code, threshold=threshold, unit=unit)


def _verdict(ok: bool) -> str:
    return Verdict.PASS if ok else Verdict.FAIL


def _at_most(
    kind: str, codes: tuple[str, str], value: float, threshold: float, unit: str
) -> CheckResult:
    """Passes when the measured value is at most the threshold."""
    ok = value <= threshold
    return CheckResult(
        kind,
        _verdict(ok),
        codes[0] if ok else codes[1],
        value=value,
        threshold=threshold,
        unit=unit,
        params={"value": value, "threshold": threshold},
    )


@check("finished")
def finished(data: CheckInput, threshold: float) -> CheckResult:
    ok = data.state == "completed"
    if ok:
        return CheckResult("finished", Verdict.PASS, "finished_ok", value=1, unit="")
    detail = (data.message_params or {}).get("detail")
    if detail:
        return CheckResult(
            "finished", Verdict.FAIL, "finished_error", value=0, params={"detail": detail}
        )
    return CheckResult(
        "finished", Verdict.FAIL, "finished_not", value=0, params={"state": data.state}
    )


def _heaters(series: Series, i: int):
    """(actual, target) of each heater that has a target at sample i."""
    pairs = ((series.nozzle, series.nozzle_target), (series.bed, series.bed_target))
    for actual, target in pairs:
        a = actual[i] if i < len(actual) else None
        t = target[i] if i < len(target) else None
        if t and a is not None:
            yield a, t


def heated_at(series: Series) -> float | None:
    """The time of the first sample where every heater with a target is within ±3 °C."""
    for i, t in enumerate(series.t):
        heaters = list(_heaters(series, i))
        if heaters and all(abs(a - target) <= HEAT_MARGIN for a, target in heaters):
            return t
    return None


def _has_target(series: Series) -> bool:
    return any(target for target in series.nozzle_target + series.bed_target)


@check("heatup")
def heatup(data: CheckInput, threshold: float) -> CheckResult:
    series = data.series
    if not series.t:
        return _unmeasurable("heatup", "no_telemetry", threshold, "s")
    if not _has_target(series):
        return _unmeasurable("heatup", "no_target", threshold, "s")
    reached = heated_at(series)
    if reached is None:
        return CheckResult("heatup", Verdict.FAIL, "heatup_never", threshold=threshold, unit="s")
    value = round(reached - series.t[0], 1)
    return _at_most("heatup", ("heatup_ok", "heatup_slow"), value, threshold, "s")


@check("band")
def band(data: CheckInput, threshold: float) -> CheckResult:
    """Share of the printing time (from heat-up to the last reading, each sample weighted by
    the time until the next) when a heater was more than 5 °C from its target."""
    series = data.series
    if len(series.t) < 2:
        return _unmeasurable("band", "no_telemetry", threshold, "%")
    if not _has_target(series):
        return _unmeasurable("band", "no_target", threshold, "%")
    start = heated_at(series)
    if start is None:
        start = series.t[0]  # never heated: the whole print counts
    total = outside = 0.0
    for i in range(len(series.t) - 1):
        t, following = series.t[i], series.t[i + 1]
        if t < start:
            continue
        span = following - t
        total += span
        if any(abs(a - target) > BAND for a, target in _heaters(series, i)):
            outside += span
    if total <= 0:
        return _unmeasurable("band", "no_telemetry", threshold, "%")
    value = round(100 * outside / total, 1)
    return _at_most("band", ("band_ok", "band_over"), value, threshold, "%")


def _deviation(measured: float, estimate: float) -> float:
    return round(100 * (measured - estimate) / estimate, 1)


@check("print_time")
def print_time(data: CheckInput, threshold: float) -> CheckResult:
    if data.state != "completed":
        return _unmeasurable("print_time", "not_completed", threshold, "%")
    if data.facts is None:
        return _unmeasurable("print_time", "no_gcode", threshold, "%")
    if not data.facts.estimated_s:
        return _unmeasurable("print_time", "no_estimate", threshold, "%")
    measured = data.print_time_s
    if measured is None and len(data.series.t) >= 2:
        measured = data.series.t[-1] - data.series.t[0]
    if measured is None:
        return _unmeasurable("print_time", "no_telemetry", threshold, "%")
    return _against_estimate(
        "print_time", ("time_ok", "time_off"), measured, data.facts.estimated_s, threshold
    )


def _against_estimate(
    kind: str, codes: tuple[str, str], measured: float, estimate: float, threshold: float
) -> CheckResult:
    """Measured seconds against the slicer's estimate: passes within ±threshold %."""
    value = _deviation(measured, estimate)
    ok = abs(value) <= threshold
    return CheckResult(
        kind,
        _verdict(ok),
        codes[0] if ok else codes[1],
        value=value,
        threshold=threshold,
        unit="%",
        params={
            "value": value,
            "threshold": threshold,
            "measured": round(measured),
            "estimate": round(estimate),
        },
    )


def first_layer_seconds(series: Series, layer_zs: list[float]) -> float | None:
    """From the first Z mark at the first layer's height to the first at the second's."""
    if len(layer_zs) < 2:
        return None
    first, second = layer_zs[0], layer_zs[1]
    began = None
    for t, kind, value in series.marks:
        if kind != "z" or value is None:
            continue
        if began is None and abs(float(value) - first) <= 0.005:
            began = t
        elif began is not None and abs(float(value) - second) <= 0.005:
            return round(t - began, 1)
    return None


@check("first_layer")
def first_layer(data: CheckInput, threshold: float) -> CheckResult:
    if data.facts is None:
        return _unmeasurable("first_layer", "no_gcode", threshold, "%")
    if not data.facts.first_layer_s:
        return _unmeasurable("first_layer", "no_estimate", threshold, "%")
    measured = first_layer_seconds(data.series, data.facts.layer_zs)
    if measured is None:
        return _unmeasurable("first_layer", "no_layers", threshold, "%")
    return _against_estimate(
        "first_layer",
        ("first_layer_ok", "first_layer_off"),
        measured,
        data.facts.first_layer_s,
        threshold,
    )


@check("filament")
def filament(data: CheckInput, threshold: float) -> CheckResult:
    """Metres of filament: the file's whole amount for a completed print, the share printed
    (OctoPrint's progress) otherwise."""
    if data.facts is None:
        return _unmeasurable("filament", "no_gcode", threshold, "m")
    if not data.facts.filament_mm:
        return _unmeasurable("filament", "no_filament", threshold, "m")
    share = 1.0 if data.state == "completed" else (data.progress or 0) / 100
    value = round(data.facts.filament_mm * share / 1000, 2)
    return _at_most("filament", ("filament_ok", "filament_over"), value, threshold, "m")
