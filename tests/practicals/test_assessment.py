"""Assessments: the practical's rule, corrections as new records, photos and their limits,
instructors scoped to their farms, and the bed-clear gate before the next print."""

import datetime as dt
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import timezone
from PIL import Image

from courses.competencies import CompetencyStatus, competency_states
from courses.exceptions import AtelierError
from lms.roles import INSTRUCTOR
from practicals.grading.photos import PhotoRefused
from practicals.models import (
    Assessment,
    AssessmentPhoto,
    BedClearance,
    Booking,
    Farm,
    PracticalCheck,
    PrintAttempt,
    RubricCriterion,
)
from practicals.services import attempt_create
from practicals.services.assessment import NotYourFarm, assessment_create
from practicals.services.bed import BedNotClear, bed_clear_confirm, bed_waiting
from tests.courses.quizzes import certify, competency_make
from tests.fixtures.courses import PASSWORD, _person
from tests.fixtures.practicals import GCODE_QUICK, farm_open_always
from tests.fixtures.progress import practical_passed

LEVELS = "Décollé, inutilisable\nDéfauts visibles\nPropre\nImpeccable"


@pytest.fixture
def graded_setup(course, trainee, instructor, offline_printer):
    """A completed, started print awaiting its grade; the instructor staffs its farm; the
    practical checks the print finished and has a two-line rubric."""
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    PrintAttempt.objects.filter(pk=attempt.pk).update(
        grade="", graded_by=None, graded_at=None, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    attempt.refresh_from_db()
    offline_printer.farm.instructors.add(instructor)
    practical = attempt.practical
    PracticalCheck.objects.create(page=practical, kind="finished", threshold=0, mandatory=True)
    PracticalCheck.objects.create(page=practical, kind="heatup", threshold=120, mandatory=False)
    surface = RubricCriterion.objects.create(
        page=practical, label="Surface", weight=2, levels=LEVELS
    )
    side = RubricCriterion.objects.create(
        page=practical,
        label="Côté X",
        kind=RubricCriterion.Kind.MEASURED,
        nominal=20,
        tolerance=0.2,
        unit="mm",
    )
    return attempt, surface, side


def _jpeg_with_exif(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 80, 20))
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    exif[0x0131] = "Logiciel secret"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"commentaire secret")
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG that declares width × height (its pixels are never reached)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --- The practical's rule ------------------------------------------------------------


def test_a_full_rubric_and_passing_checks_pass(graded_setup, instructor):
    attempt, surface, side = graded_setup
    assessment = assessment_create(
        grader=instructor, attempt=attempt, answers={surface.pk: 3, side.pk: 20.1}
    )
    assert assessment.passed and assessment.rubric_percent == 100.0
    assert [c["kind"] for c in assessment.checks] == ["finished", "heatup"]
    assert assessment.checks[0]["verdict"] == "pass"
    # No telemetry kept: the heat-up check says so instead of guessing.
    assert (assessment.checks[1]["verdict"], assessment.checks[1]["code"]) == (
        "unmeasurable",
        "no_telemetry",
    )
    rows = {row["label"]: row for row in assessment.rubric}
    assert rows["Surface"]["descriptor"] == "Impeccable"
    assert rows["Côté X"]["passed"] and rows["Côté X"]["deviation"] == pytest.approx(0.1)
    attempt.refresh_from_db()
    assert attempt.grade == "passed" and attempt.graded_by == instructor


def test_the_rubric_mark_decides(graded_setup, instructor):
    attempt, surface, side = graded_setup
    # Surface 2/3 of weight 2, side out of tolerance: 2×(2/3) / 3 = 44.4 % < 60 %.
    with pytest.raises(AtelierError, match="commentaire"):
        assessment_create(grader=instructor, attempt=attempt, answers={surface.pk: 2, side.pk: 21})
    assert not Assessment.objects.exists()
    failed = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 2, side.pk: 21},
        comment="Le côté X mesure 21 mm : vérifiez les pas/mm.",
    )
    assert not failed.passed and failed.rubric_percent == 44.4


def test_a_failed_mandatory_check_fails_whatever_the_rubric(graded_setup, instructor):
    attempt, surface, side = graded_setup
    PrintAttempt.objects.filter(pk=attempt.pk).update(
        state="failed", message_params={"detail": "Thermal runaway"}
    )
    attempt.refresh_from_db()
    assessment = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        comment="Emballement thermique.",
    )
    assert not assessment.passed
    assert assessment.checks[0]["verdict"] == "fail"
    assert assessment.checks[0]["params"] == {"detail": "Thermal runaway"}


def test_every_criterion_must_be_scored_and_levels_exist(graded_setup, instructor):
    attempt, surface, side = graded_setup
    with pytest.raises(AtelierError, match="Côté X"):
        assessment_create(grader=instructor, attempt=attempt, answers={surface.pk: 3})
    with pytest.raises(AtelierError, match="niveaux"):
        assessment_create(grader=instructor, attempt=attempt, answers={surface.pk: 9, side.pk: 20})
    assert not Assessment.objects.exists()


# --- Corrections -----------------------------------------------------------------------


def test_a_correction_is_a_new_record_and_the_latest_counts(
    client, graded_setup, instructor, trainee
):
    attempt, surface, side = graded_setup
    first = assessment_create(
        grader=instructor, attempt=attempt, answers={surface.pk: 0, side.pk: 25}, comment="Raté."
    )
    second = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        comment="Erreur de mesure corrigée.",
    )
    assert Assessment.objects.filter(attempt=attempt).count() == 2
    first.refresh_from_db()
    assert not first.passed and first.comment == "Raté."  # untouched
    assert second.corrects == first and second.passed
    attempt.refresh_from_db()
    assert attempt.grade == "passed" and attempt.grade_comment == "Erreur de mesure corrigée."
    assert list(attempt.events.values_list("code", flat=True))[-2:] == ["graded", "regraded"]

    client.force_login(trainee)
    html = client.get(f"/practicals/attempts/{attempt.pk}/").text
    assert "Erreur de mesure corrigée." in html and "Raté." in html  # latest, then history
    assert html.index("Erreur de mesure corrigée.") < html.index("Raté.")
    assert "Évaluations précédentes (corrigées)" in html


# --- Photos ------------------------------------------------------------------------------


def test_a_photo_is_kept_without_its_metadata(client, graded_setup, instructor, trainee):
    attempt, surface, side = graded_setup
    original = _jpeg_with_exif()
    assert b"Appareil secret" in original
    assessment = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        photos=[SimpleUploadedFile("cube.jpg", original, content_type="image/jpeg")],
    )
    [photo] = assessment.photos.all()
    kept = photo.image.read()
    assert b"Appareil secret" not in kept and b"commentaire secret" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()
    client.force_login(trainee)
    response = client.get(f"/practicals/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def _refused(graded_setup, instructor, upload, match):
    attempt, surface, side = graded_setup
    with pytest.raises(PhotoRefused, match=match):
        assessment_create(
            grader=instructor,
            attempt=attempt,
            answers={surface.pk: 3, side.pk: 20},
            photos=[upload],
        )
    assert not Assessment.objects.exists() and not AssessmentPhoto.objects.exists()
    attempt.refresh_from_db()
    assert attempt.grade == ""


def test_a_photo_of_100_mb_is_refused_before_reading_it(graded_setup, instructor):
    upload = TemporaryUploadedFile("énorme.jpg", "image/jpeg", 0, None)
    upload.file.truncate(100 * 1024 * 1024)  # a sparse file on disk, never in memory
    upload.size = 100 * 1024 * 1024
    _refused(graded_setup, instructor, upload, "trop volumineux")


def test_a_photo_of_20000_px_is_refused_before_decoding(graded_setup, instructor):
    upload = SimpleUploadedFile("immense.png", _png_header(20_000, 20_000))
    _refused(graded_setup, instructor, upload, "trop de pixels")
    upload = SimpleUploadedFile("grande.png", _png_header(8_000, 6_000))  # 48 MP
    _refused(graded_setup, instructor, upload, "8000\u00a0×\u00a06000")


def test_a_file_that_is_not_an_image_is_refused(graded_setup, instructor):
    upload = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 pas une image", content_type="image/jpeg")
    _refused(graded_setup, instructor, upload, "n’est pas une photo")


def test_the_grading_page_says_why_a_photo_is_refused_and_saves_nothing(
    client, graded_setup, instructor
):
    attempt, surface, side = graded_setup
    client.force_login(instructor)
    response = client.post(
        f"/practicals/attempts/{attempt.pk}/grade/",
        {
            f"criterion_{surface.pk}": "3",
            f"criterion_{side.pk}": "20,05",
            "comment": "",
            "photos": [SimpleUploadedFile("notes.jpg", b"juste du texte")],
        },
    )
    assert response.status_code == 400
    assert "«\u00a0notes.jpg\u00a0» n’est pas une photo" in response.text
    assert not Assessment.objects.exists()


# --- Scoping -------------------------------------------------------------------------------


@pytest.fixture
def other_instructor(db):
    person = _person(
        email="yann@example.org", full_name="Yann Le Goff", password=PASSWORD, role=INSTRUCTOR
    )
    elsewhere = farm_open_always(Farm.objects.create(name="Autre ferme", timezone="Europe/Paris"))
    elsewhere.instructors.add(person)
    return person


def test_an_instructor_of_another_farm_gets_404_everywhere(
    client, graded_setup, instructor, other_instructor, trainee
):
    attempt, surface, side = graded_setup
    assert other_instructor.has_perm("practicals.grade_printattempt")
    with pytest.raises(NotYourFarm):
        assessment_create(
            grader=other_instructor, attempt=attempt, answers={surface.pk: 3, side.pk: 20}
        )
    assessment = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        photos=[SimpleUploadedFile("cube.jpg", _jpeg_with_exif())],
    )
    photo = assessment.photos.get()
    client.force_login(other_instructor)
    url = f"/practicals/attempts/{attempt.pk}/grade/"
    assert client.get(url).status_code == 404
    answers = {f"criterion_{surface.pk}": "0", f"criterion_{side.pk}": "30", "comment": "x"}
    assert client.post(url, answers).status_code == 404
    assert client.get(f"/practicals/photos/{photo.pk}/").status_code == 404
    assert client.post(f"/practicals/printers/{attempt.printer_id}/bed-clear/").status_code == 404
    PrintAttempt.objects.filter(pk=attempt.pk).update(grade="")
    assert (
        f"/practicals/attempts/{attempt.pk}/grade/" not in client.get("/practicals/grading/").text
    )
    assert Assessment.objects.filter(attempt=attempt).count() == 1  # nothing changed
    assert not BedClearance.objects.exists()


def test_another_trainee_sees_no_attempt_assessment_or_photo(
    client, graded_setup, instructor, other_trainee
):
    attempt, surface, side = graded_setup
    assessment = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        photos=[SimpleUploadedFile("cube.jpg", _jpeg_with_exif())],
    )
    client.force_login(other_trainee)
    assert client.get(f"/practicals/attempts/{attempt.pk}/").status_code == 403
    assert client.get(f"/practicals/photos/{assessment.photos.get().pk}/").status_code == 404
    assert client.get(f"/practicals/attempts/{attempt.pk}/grade/").status_code == 403


def test_the_instructor_cannot_grade_their_own_print(graded_setup, instructor):
    attempt, surface, side = graded_setup
    PrintAttempt.objects.filter(pk=attempt.pk).update(trainee=instructor)
    attempt.refresh_from_db()
    with pytest.raises(AtelierError, match="propre impression"):
        assessment_create(grader=instructor, attempt=attempt, answers={surface.pk: 3, side.pk: 20})


# --- Bed-clear gate --------------------------------------------------------------------------


def _booking_now(*, attempt, trainee):
    now = timezone.now()
    return Booking.objects.create(
        trainee=trainee,
        printer=attempt.printer,
        practical=attempt.practical,
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(minutes=55),
    )


def test_the_next_print_waits_for_the_bed_to_be_confirmed_clear(graded_setup, trainee, instructor):
    attempt, surface, side = graded_setup
    booking = _booking_now(attempt=attempt, trainee=trainee)
    assert bed_waiting(printer=attempt.printer) == attempt
    with pytest.raises(BedNotClear) as refused:
        attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    assert refused.value.status == 409
    assert "Personne n’a confirmé que le plateau de Hors ligne est libre" in refused.value.message
    assert PrintAttempt.objects.filter(booking=booking).count() == 0

    # Grading is the moment: the checkbox records who cleared the bed, and when.
    assessment_create(
        grader=instructor, attempt=attempt, answers={surface.pk: 3, side.pk: 20}, bed_clear=True
    )
    clearance = BedClearance.objects.get()
    assert (clearance.attempt, clearance.confirmed_by) == (attempt, instructor)
    assert clearance.confirmed_at is not None
    assert bed_waiting(printer=attempt.printer) is None
    again = attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    assert again.state == "queued"


def test_farm_staff_clear_the_bed_with_a_small_action(client, graded_setup, trainee, instructor):
    attempt, surface, side = graded_setup
    client.force_login(trainee)  # a trainee cannot clear a bed
    assert client.post(f"/practicals/printers/{attempt.printer_id}/bed-clear/").status_code == 404
    client.force_login(instructor)
    queue = client.get("/practicals/grading/").text
    assert "Plateaux à libérer" in queue and f"/printers/{attempt.printer_id}/bed-clear/" in queue
    response = client.post(f"/practicals/printers/{attempt.printer_id}/bed-clear/", follow=True)
    assert "confirmé libre" in response.text
    assert BedClearance.objects.get().confirmed_by == instructor
    # Confirming again has nothing to record.
    assert bed_clear_confirm(user=instructor, printer=attempt.printer) is None
    assert BedClearance.objects.count() == 1


def test_a_print_that_never_started_leaves_no_bed_to_clear(graded_setup):
    attempt, surface, side = graded_setup
    PrintAttempt.objects.filter(pk=attempt.pk).update(started_at=None, state="failed")
    assert bed_waiting(printer=attempt.printer) is None


# --- Competencies -----------------------------------------------------------------------------


def test_a_tagged_criterion_feeds_competency_mastery(graded_setup, instructor, trainee, course):
    attempt, surface, side = graded_setup
    competency = competency_make("Calibrer les pas par mm", "pas-par-mm")
    certify(course=course, competency=competency)
    RubricCriterion.objects.filter(pk=side.pk).update(competency=competency)

    def status():
        [state] = [s for s in competency_states(user=trainee) if s.competency == competency]
        return state.status

    assert status() == CompetencyStatus.NOT_STARTED
    assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 23},
        comment="Côté hors tolérance.",
    )
    assert status() == CompetencyStatus.NOT_STARTED  # assessed, criterion not passed
    assessment_create(grader=instructor, attempt=attempt, answers={surface.pk: 3, side.pk: 20.1})
    assert status() == CompetencyStatus.MASTERED


# --- Authoring -----------------------------------------------------------------------------


def test_the_practical_form_offers_checks_rubric_and_pass_mark(client, course, instructor):
    from tests.fixtures.courses import steps_of

    practical = steps_of(course)[-1]
    client.force_login(instructor)
    html = client.get(f"/admin/pages/{practical.pk}/edit/").text
    for name in ('name="pass_rubric_percent"', "grading_checks-", "rubric_criteria-"):
        assert name in html, name
    assert "Contrôles automatiques" in html and "Grille d’évaluation" in html
    assert "Chauffe (cible ±3\u00a0°C atteinte en moins de, en s)" in html


def test_a_photo_over_the_limit_is_dropped_while_uploading_and_the_form_kept(
    client, graded_setup, instructor, settings
):
    settings.GRADING_PHOTO_MAX_BYTES = 1024 * 1024
    attempt, surface, side = graded_setup
    client.force_login(instructor)
    big = SimpleUploadedFile("lourde.jpg", b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024))
    response = client.post(
        f"/practicals/attempts/{attempt.pk}/grade/",
        {
            f"criterion_{surface.pk}": "3",
            f"criterion_{side.pk}": "20,05",
            "comment": "Très bien.",
            "photos": [big],
        },
    )
    assert response.status_code == 400
    assert "«\u00a0lourde.jpg\u00a0» est trop volumineux (1\u00a0Mo au plus)" in response.text
    assert "Très bien." in response.text  # what the instructor typed is still there
    assert not Assessment.objects.exists() and not AssessmentPhoto.objects.exists()


def test_a_photo_whose_file_is_gone_is_a_404_not_an_error(
    client, graded_setup, instructor, trainee
):
    attempt, surface, side = graded_setup
    assessment = assessment_create(
        grader=instructor,
        attempt=attempt,
        answers={surface.pk: 3, side.pk: 20},
        photos=[SimpleUploadedFile("cube.jpg", _jpeg_with_exif())],
    )
    photo = assessment.photos.get()
    photo.image.storage.delete(photo.image.name)
    client.force_login(trainee)
    assert client.get(f"/practicals/photos/{photo.pk}/").status_code == 404


def test_the_trainees_page_costs_the_same_queries_with_more_corrections(
    client, graded_setup, instructor, trainee
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    attempt, surface, side = graded_setup
    url = f"/practicals/attempts/{attempt.pk}/"

    def grade():
        assessment_create(
            grader=instructor,
            attempt=attempt,
            answers={surface.pk: 3, side.pk: 20},
            photos=[SimpleUploadedFile("cube.jpg", _jpeg_with_exif())],
        )

    client.force_login(trainee)
    grade()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    grade()
    grade()
    with CaptureQueriesContext(connection) as three:
        html = client.get(url).text
    assert html.count("/practicals/photos/") == 2 * 3  # each photo: a link and an image
    assert len(three) == len(one)
