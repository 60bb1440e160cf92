"""Preflight: real slicer output passes; a file that breaks a rule is refused, in French,
naming the line and the rule; a refused upload leaves nothing behind.

The `cube10-*-prusaslicer.gcode` files were made by PrusaSlicer 2.5 (Debian's
`prusa-slicer`) from `cube10.stl`; the other samples are hand-written in the dialects of
OrcaSlicer/Bambu Studio, Cura, Simplify3D and PrusaSlicer 2.8 for the MK4.
"""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practicals.exceptions import InvalidGcode
from practicals.models import Farm, Material, PrintAttempt, Printer
from practicals.preflight import preflight_check
from tests.fixtures.practicals import pla
from tests.practicals.test_views import _book as book_first_slot

SAMPLES = Path(__file__).parent / "gcode"
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def bench_printer(db):
    farm = Farm.objects.create(name="Ferme preflight")
    return Printer.objects.create(
        farm=farm, name="P1", octoprint_url="http://192.0.2.1", api_key="x" * 43, material=pla()
    )


def _check(printer, data: bytes, *, name="cube.gcode", minutes_left=None):
    return preflight_check(
        file=io.BytesIO(data),
        filename=name,
        size=len(data),
        printer=printer,
        slot_ends_at=NOW + dt.timedelta(minutes=minutes_left) if minutes_left else None,
        now=NOW,
    )


def _refused(printer, data: bytes, **kwargs) -> str:
    with pytest.raises(InvalidGcode) as error:
        _check(printer, data, **kwargs)
    return str(error.value.message)


@pytest.mark.parametrize(
    "sample",
    [
        "cube10-pla-prusaslicer.gcode",
        "cube-prusaslicer-mk4-dialect.gcode",
        "cube-orcaslicer.gcode",
        "cube-cura.gcode",
        "cube-simplify3d.gcode",
    ],
)
def test_real_slicer_output_passes(bench_printer, sample):
    report = _check(bench_printer, (SAMPLES / sample).read_bytes(), minutes_left=60)
    assert report.commands > 20
    assert report.slicer_seconds is not None and report.slicer_seconds < 300
    assert report.max_nozzle >= 210 and report.max_bed == 60


def test_prusaslicer_output_tells_its_material_and_estimate(bench_printer):
    report = _check(bench_printer, (SAMPLES / "cube10-pla-prusaslicer.gcode").read_bytes())
    assert report.filament_type == "PLA" and report.slicer_seconds == 210
    assert report.extent["X"][1] < 112 and report.extent["Z"][1] < 10.5


def test_a_file_sliced_for_another_material_is_refused(bench_printer):
    data = (SAMPLES / "cube10-petg-prusaslicer.gcode").read_bytes()
    # PETG's temperatures (85 °C bed) are refused first, at the line that sets them.
    message = _refused(bench_printer, data)
    assert message.startswith("Ligne 13") and "plateau de 85 °C" in message and "PLA" in message
    # A PETG-loaded printer accepts it.
    bench_printer.material = Material.objects.get_or_create(
        name="PETG", defaults={"nozzle_min": 220, "nozzle_max": 260, "bed_min": 60, "bed_max": 90}
    )[0]
    assert _check(bench_printer, data).filament_type == "PETG"


def test_the_declared_filament_type_must_be_the_loaded_one(bench_printer):
    data = b"G28\nM104 S200\nG1 X10 Y10\n; filament_type = ABS\n"
    message = _refused(bench_printer, data)
    assert message.startswith("Ligne 4")
    assert "ABS" in message and "PLA" in message


def test_other_names_of_the_material_are_accepted(bench_printer):
    assert _check(bench_printer, b"G28\n; filament_type = PLA+\n").filament_type == "PLA+"


@pytest.mark.parametrize(
    ("line", "axis"),
    [("G1 X250 Y10", "X"), ("G1X10Y-20", "Y"), ("G1 Z230", "Z"), ("G91\nG1 X150\nG1 X150", "X")],
)
def test_moves_outside_the_build_volume_are_refused(bench_printer, line, axis):
    message = _refused(bench_printer, f"G28\nG90\n{line}\n".encode())
    assert "Ligne" in message and "sort du volume d’impression" in message
    assert f"{axis} de 0 à 200" in message


def test_a_smaller_printer_refuses_the_real_cube(bench_printer):
    bench_printer.build_x = 100
    message = _refused(bench_printer, (SAMPLES / "cube10-pla-prusaslicer.gcode").read_bytes())
    assert "X de 0 à 100" in message


@pytest.mark.parametrize(
    ("line", "heater"),
    [
        ("M104 S260", "buse"),
        ("M109 R150", "buse"),
        ("M140 S100", "plateau"),
        ("M190 S95", "plateau"),
    ],
)
def test_temperatures_outside_the_materials_range_are_refused(bench_printer, line, heater):
    message = _refused(bench_printer, f"G28\n{line}\n".encode())
    assert message.startswith("Ligne 2")
    assert heater in message and "PLA" in message
    assert "180–230" in message or "0–70" in message


def test_switching_heaters_off_is_always_allowed(bench_printer):
    assert _check(bench_printer, b"M104 S0\nM140 S0\n").commands == 2


def test_no_loaded_material_means_no_heating(bench_printer):
    bench_printer.material = None
    message = _refused(bench_printer, b"M104 S200\n")
    assert "aucun matériau" in message


def test_a_print_longer_than_the_slot_is_refused(bench_printer):
    data = (SAMPLES / "cube10-pla-prusaslicer.gcode").read_bytes()
    message = _refused(bench_printer, data, minutes_left=3)
    assert "estimation du trancheur" in message and "4 min" in message and "3 min" in message
    assert _check(bench_printer, data, minutes_left=4).slicer_seconds == 210


def test_without_an_estimate_the_time_is_computed_from_the_moves(bench_printer):
    # 40 moves of 180 mm at 600 mm/min: 12 minutes.
    moves = "\n".join(f"G1 X{190 if i % 2 == 0 else 10} F600" for i in range(40))
    message = _refused(bench_printer, f"G28\n{moves}\n".encode(), minutes_left=10)
    assert "calculé à partir des déplacements" in message


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("cube.gcode", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "fichier PNG"),
        ("cube.gcode", b"hello world\n", "Ligne 1"),
        ("cube.gcode", b"G28\n" + b"G1 X1" * 2000, "plus de 4096 caractères"),
        ("cube.gcode", b"G28\nG1 X{first_layer_x}\n", "Ligne 2"),
        ("cube.stl", (SAMPLES / "cube10.stl").read_bytes(), "doit finir par .gcode"),
        ("cube.gcode", (SAMPLES / "cube10.stl").read_bytes(), "Ligne 1"),
    ],
)
def test_bad_input_is_refused_with_a_reason(bench_printer, name, data, reason):
    assert reason in _refused(bench_printer, data, name=name)


# -- through the upload view: streamed to disk, nothing left behind ---------------------------


@pytest.fixture
def upload_dir(tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_60_mb_file_is_refused_and_nothing_stays(
    client, course, trainee, offline_printer, upload_dir
):
    booking_url = book_first_slot(client, trainee, course)
    big = SimpleUploadedFile("big.gcode", b"G1 X10 Y10\n" * (60 * 1024 * 1024 // 11))
    response = client.post(booking_url + "print/", {"gcode": big})
    assert response.status_code == 400
    assert "Le fichier est trop volumineux (50 Mo au maximum)" in response.text
    assert not PrintAttempt.objects.exists()
    assert _leftovers(upload_dir) == []


def test_the_limit_holds_while_streaming(
    client, course, trainee, offline_printer, upload_dir, settings
):
    settings.GCODE_MAX_BYTES = 1024 * 1024
    booking_url = book_first_slot(client, trainee, course)
    data = b"G1 X10 Y10\n" * (1024 * 1024 // 11 + 2000)
    response = client.post(booking_url + "print/", {"gcode": SimpleUploadedFile("a.gcode", data)})
    assert response.status_code == 400 and "trop volumineux" in response.text
    assert _leftovers(upload_dir) == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "fichier PNG"),
        (b"G28\nG1 X500 Y10\n", "sort du volume d’impression"),
        (b"G28\nM104 S300\n", "hors de la plage"),
    ],
)
def test_a_refused_upload_saves_nothing(
    client, course, trainee, offline_printer, upload_dir, data, reason
):
    booking_url = book_first_slot(client, trainee, course)
    response = client.post(booking_url + "print/", {"gcode": SimpleUploadedFile("c.gcode", data)})
    assert response.status_code == 400
    assert reason in response.text
    assert not PrintAttempt.objects.exists()
    assert _leftovers(upload_dir) == []
