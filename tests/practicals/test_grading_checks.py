"""Automatic checks: each one on telemetry rows written by the follower's own buffer, on a
real slicer's G-code, and on the edge cases where it must say "not measurable"."""

from pathlib import Path

import pytest
from django.utils import translation

from practicals.grading.checks import CHECKS, CheckInput, Verdict, check_run
from practicals.grading.gcode_facts import GcodeFacts, gcode_facts
from practicals.grading.messages import check_message
from practicals.models import AttemptTelemetry
from practicals.services.assessment import attempt_check_input
from practicals.services.telemetry import Series, TelemetryBuffer, attempt_series
from tests.fixtures.progress import practical_passed

GCODE = Path(__file__).parent / "gcode"


def _record(attempt, readings, marks=()):
    """Write readings [(t, nozzle, nozzle_target, bed, bed_target)] as the follower does."""
    buffer = TelemetryBuffer(attempt_id=attempt.pk, started_epoch=1_000_000.0)
    for t, n, nt, b, bt in readings:
        buffer.sample(at_epoch=1_000_000.0 + t, nozzle=n, nozzle_target=nt, bed=b, bed_target=bt)
    for t, kind, value in marks:
        buffer.mark(at_epoch=1_000_000.0 + t, kind=kind, value=value)
    buffer.write()
    return attempt_series(attempt_id=attempt.pk)


def _heating_print(duration=300, heat=40, wobble_from=None, wobble_to=None):
    """Every 2 s: nozzle and bed climb to 210/60 °C in `heat` s, then hold (±1 °C), with
    the nozzle 10 °C low between wobble_from and wobble_to."""
    readings = []
    for t in range(0, duration + 1, 2):
        share = min(1.0, t / heat)
        nozzle = 25 + (210 - 25) * share + (1 if t % 4 else -1) * (share == 1)
        bed = 25 + (60 - 25) * share
        if wobble_from is not None and wobble_from <= t < wobble_to:
            nozzle = 200
        readings.append((t, nozzle, 210, bed, 60))
    return readings


@pytest.fixture
def attempt(db, course, trainee, instructor, offline_printer):
    return practical_passed(course=course, user=trainee, printer=offline_printer, grader=instructor)


def test_telemetry_rows_are_one_a_minute_and_read_back(attempt):
    series = _record(attempt, _heating_print(duration=300))
    assert AttemptTelemetry.objects.filter(attempt=attempt).count() == 6  # minutes 0-5
    assert len(series.t) == 151 and series.t[0] == 0 and series.t[-1] == 300


def test_heatup_measures_when_every_heater_reaches_its_target(attempt):
    series = _record(attempt, _heating_print(heat=40))
    data = CheckInput(state="completed", series=series)
    result = check_run("heatup", data, 60)
    # 210 - 3 °C is reached at 38.7 s: the first reading after that is at 40 s.
    assert (result.verdict, result.value, result.threshold) == (Verdict.PASS, 40.0, 60)
    slow = check_run("heatup", data, 30)
    assert slow.verdict == Verdict.FAIL and slow.code == "heatup_slow"
    with translation.override("fr"):
        assert check_message(slow.code, slow.params) == (
            "Cible ±3\u00a0°C atteinte en 40\u00a0s, plus de 30\u00a0s."
        )


def test_heatup_that_never_reaches_the_target_fails(attempt):
    readings = [(t, 150, 210, 60, 60) for t in range(0, 120, 2)]
    result = check_run(
        "heatup", CheckInput(state="completed", series=_record(attempt, readings)), 60
    )
    assert result.verdict == Verdict.FAIL and result.code == "heatup_never" and result.value is None


def test_band_counts_printing_time_outside_five_degrees(attempt):
    # Heated at 40 s; 300 s of readings; nozzle 10 °C low for 26 s (200-226): 26/260 = 10 %.
    series = _record(attempt, _heating_print(duration=300, wobble_from=200, wobble_to=226))
    data = CheckInput(state="completed", series=series)
    result = check_run("band", data, 15)
    assert result.verdict == Verdict.PASS and result.value == 10.0 and result.unit == "%"
    assert check_run("band", data, 5).verdict == Verdict.FAIL


def test_band_without_targets_is_not_measurable(attempt):
    readings = [(t, 25, 0, 25, 0) for t in range(0, 60, 2)]  # the Virtual Printer's cold print
    series = _record(attempt, readings)
    for kind in ("band", "heatup"):
        result = check_run(kind, CheckInput(state="completed", series=series), 10)
        assert (result.verdict, result.code) == (Verdict.UNMEASURABLE, "no_target")


def test_no_telemetry_at_all_is_not_measurable(attempt):
    data = attempt_check_input(attempt)  # the attempt has no telemetry rows
    assert data.series.t == []
    for kind in ("heatup", "band"):
        result = check_run(kind, data, 10)
        assert (result.verdict, result.code) == (Verdict.UNMEASURABLE, "no_telemetry")
    with translation.override("fr"):
        assert "Non mesurable" in check_message("no_telemetry")


def test_finished_without_error():
    assert check_run("finished", CheckInput(state="completed"), 0).verdict == Verdict.PASS
    failed = check_run(
        "finished",
        CheckInput(state="failed", message_params={"detail": "Thermal runaway"}),
        0,
    )
    assert failed.verdict == Verdict.FAIL and failed.params == {"detail": "Thermal runaway"}
    with translation.override("fr"):
        assert "Thermal runaway" in check_message(failed.code, failed.params)
    cancelled = check_run("finished", CheckInput(state="cancelled"), 0)
    assert cancelled.verdict == Verdict.FAIL and cancelled.code == "finished_not"


def test_gcode_facts_of_a_real_prusaslicer_file():
    with (GCODE / "cube10-pla-prusaslicer.gcode").open("rb") as file:
        facts = gcode_facts(file)
    assert facts.estimated_s == 210 and facts.estimate_source == "slicer"
    assert facts.filament_mm == 154.08
    assert facts.layer_zs == [0.3, 0.6]  # its ";Z:" comments say so too
    assert 0 < facts.first_layer_s < facts.estimated_s


@pytest.mark.parametrize(
    ("name", "estimate", "filament"),
    [
        ("cube-cura.gcode", 225, 50.0),
        ("cube-simplify3d.gcode", 180, 55.1),
        ("cube-orcaslicer.gcode", 225, None),
    ],
)
def test_gcode_facts_read_each_slicers_words(name, estimate, filament):
    with (GCODE / name).open("rb") as file:
        facts = gcode_facts(file)
    assert facts.estimated_s == estimate
    if filament is not None:
        assert facts.filament_mm == filament


def test_print_time_against_the_slicers_estimate():
    facts = GcodeFacts(estimated_s=200)
    ok = check_run("print_time", CheckInput(state="completed", print_time_s=220, facts=facts), 15)
    assert (ok.verdict, ok.value) == (Verdict.PASS, 10.0)
    assert ok.params["measured"] == 220 and ok.params["estimate"] == 200
    slow = check_run("print_time", CheckInput(state="completed", print_time_s=300, facts=facts), 15)
    assert (slow.verdict, slow.value) == (Verdict.FAIL, 50.0)
    fast = check_run("print_time", CheckInput(state="completed", print_time_s=100, facts=facts), 15)
    assert (fast.verdict, fast.value) == (Verdict.FAIL, -50.0)


def test_print_time_is_not_measurable_without_estimate_or_completion():
    for data, code in [
        (
            CheckInput(state="failed", print_time_s=100, facts=GcodeFacts(estimated_s=200)),
            "not_completed",
        ),
        (CheckInput(state="completed", print_time_s=100, facts=GcodeFacts()), "no_estimate"),
        (CheckInput(state="completed", print_time_s=100, facts=None), "no_gcode"),
    ]:
        result = check_run("print_time", data, 10)
        assert (result.verdict, result.code) == (Verdict.UNMEASURABLE, code)


def test_first_layer_from_the_recorded_layer_changes(attempt):
    marks = [(5, "z", 5.0), (10, "z", 0.2), (40, "z", 0.6), (41, "z", 0.2), (70, "z", 0.4)]
    series = _record(attempt, _heating_print(duration=120), marks)
    facts = GcodeFacts(first_layer_s=50, layer_zs=[0.2, 0.4])
    result = check_run("first_layer", CheckInput(state="completed", series=series, facts=facts), 25)
    # From the first mark at 0.2 mm (10 s) to the first at 0.4 mm (70 s): 60 s for 50 s.
    assert (result.verdict, result.value, result.params["measured"]) == (Verdict.PASS, 20.0, 60)
    assert (
        check_run(
            "first_layer", CheckInput(state="completed", series=series, facts=facts), 10
        ).verdict
        == Verdict.FAIL
    )


def test_first_layer_without_layer_changes_is_not_measurable(attempt):
    series = _record(attempt, _heating_print(duration=60), [(3, "state", "Printing")])
    facts = GcodeFacts(first_layer_s=50, layer_zs=[0.2, 0.4])
    result = check_run("first_layer", CheckInput(state="completed", series=series, facts=facts), 25)
    assert (result.verdict, result.code) == (Verdict.UNMEASURABLE, "no_layers")


def test_filament_used_under_a_limit():
    facts = GcodeFacts(filament_mm=1540.8)
    whole = check_run("filament", CheckInput(state="completed", facts=facts), 2)
    assert (whole.verdict, whole.value, whole.unit) == (Verdict.PASS, 1.54, "m")
    assert check_run("filament", CheckInput(state="completed", facts=facts), 1).verdict == "fail"
    # A print stopped at 50 % used half of it.
    half = check_run("filament", CheckInput(state="failed", progress=50, facts=facts), 1)
    assert (half.verdict, half.value) == (Verdict.PASS, 0.77)
    none = check_run("filament", CheckInput(state="completed", facts=GcodeFacts()), 1)
    assert none.verdict == Verdict.UNMEASURABLE and none.code == "no_filament"
    with translation.override("fr"):
        assert check_message(whole.code, whole.params) == (
            "1,54\u00a0m de filament utilisés (au plus 2\u00a0m)."
        )


def test_the_registry_names_every_kind_of_the_admin():
    from practicals.models import CheckKind

    assert set(CHECKS) == set(CheckKind.values)
    unknown = check_run("no-such-check", CheckInput(state="completed"), 1)
    assert unknown.verdict == Verdict.UNMEASURABLE


def test_checks_on_the_attempts_own_stored_gcode(attempt):
    from django.core.files.base import ContentFile

    content = (GCODE / "cube10-pla-prusaslicer.gcode").read_bytes()
    attempt.gcode.save("cube.gcode", ContentFile(content), save=False)
    attempt.print_time_s = 231
    attempt.save()
    data = attempt_check_input(attempt)
    assert data.facts.estimated_s == 210
    result = check_run("print_time", data, 15)
    assert (result.verdict, result.value) == (Verdict.PASS, 10.0)
    assert isinstance(data.series, Series)


def test_checks_on_a_real_virtual_printers_telemetry(celery_worker, course, trainee, own_printer):
    """A heated print on a real OctoPrint Virtual Printer, followed by a real worker: the
    checks measure what its follower kept."""
    from practicals.services import attempt_create
    from tests.practicals.test_following import GCODE_HEATED
    from tests.practicals.test_printing import _booking_now, _finished
    from tests.waiting import wait_for

    booking = _booking_now(course=course, user=trainee, printer=own_printer)
    attempt = attempt_create(
        user=trainee, booking=booking, filename="heated.gcode", data=GCODE_HEATED
    )
    wait_for(_finished(attempt), timeout=120, what="the heated print to finish")
    assert attempt.state == "completed", attempt.message
    data = attempt_check_input(attempt)
    assert data.series.t and max(data.series.nozzle_target) == 60

    assert check_run("finished", data, 0).verdict == Verdict.PASS
    heat = check_run("heatup", data, 600)
    assert heat.verdict == Verdict.PASS and 0 <= heat.value < 120, heat
    band = check_run("band", data, 100)
    assert band.verdict == Verdict.PASS and 0 <= band.value <= 100, band
    # No slicer comment in this file: the estimate is computed from its moves.
    assert data.facts.estimate_source == "computed" and data.facts.estimated_s > 0
    timing = check_run("print_time", data, 100_000)
    assert timing.verdict == Verdict.PASS and timing.params["measured"] >= 0
