"""Printing on a real OctoPrint Virtual Printer, followed by a real Celery worker."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from practicals.exceptions import IllegalTransition, InvalidGcode, NotYourSlot
from practicals.models import Booking, PrintAttempt
from practicals.services import attempt_create, attempt_grade
from practicals.tasks import attempt_send_task
from tests.fixtures.practicals import GCODE_FAILING, GCODE_QUICK
from tests.fixtures.progress import booking_tomorrow, booking_under_way
from tests.waiting import wait_for

State = PrintAttempt.State


def _booking_now(*, course, user, printer):
    return booking_under_way(course=course, user=user, printer=printer)


def _finished(attempt):
    def check():
        attempt.refresh_from_db()
        return attempt.finished

    return check


def test_a_print_completes_and_its_outcome_is_recorded(celery_worker, course, trainee, printer):
    booking = _booking_now(course=course, user=trainee, printer=printer)
    attempt = attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    wait_for(_finished(attempt), timeout=60, what="the print to finish")
    assert attempt.state == State.COMPLETED, attempt.message
    assert attempt.progress == 100.0
    assert attempt.print_time_s is not None and attempt.print_time_s >= 0
    assert attempt.started_at <= attempt.ended_at
    assert [(e.from_state, e.to_state) for e in attempt.events.all()] == [
        ("", "queued"),
        ("queued", "printing"),
        ("printing", "completed"),
    ]


def test_a_print_that_fails_keeps_octoprints_error_text(celery_worker, course, trainee, printer):
    booking = _booking_now(course=course, user=trainee, printer=printer)
    # Preflight would refuse the debug line that makes the Virtual Printer fail, so the
    # attempt is recorded as if it had passed, then sent by the worker like any other.
    attempt = _attempt_recorded(booking, filename="runaway.gcode", gcode=GCODE_FAILING)
    attempt_send_task.delay(attempt.pk)
    wait_for(_finished(attempt), timeout=60, what="the print to fail")
    assert attempt.state == State.FAILED
    assert attempt.message_code == "printer_error"
    assert attempt.message_params["detail"]  # OctoPrint's own words, kept untranslated
    assert attempt.events.last().message == attempt.message


def test_an_unreachable_printer_fails_the_attempt_clearly(
    celery_worker, course, trainee, offline_printer
):
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    attempt = attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    wait_for(_finished(attempt), timeout=60, what="the attempt to fail")
    assert attempt.state == State.FAILED
    assert attempt.message_code == "printer_unreachable"
    assert "imprimante" in attempt.message.lower()


def test_no_print_outside_ones_own_slot(course, trainee, other_trainee, offline_printer):
    booking = booking_tomorrow(course=course, user=trainee, printer=offline_printer)
    with pytest.raises(NotYourSlot) as error:
        attempt_create(user=trainee, booking=booking, filename="cube.gcode", data=GCODE_QUICK)
    assert "pendant votre créneau" in str(error.value.message)
    with pytest.raises(NotYourSlot):
        attempt_create(user=other_trainee, booking=booking, filename="c.gcode", data=GCODE_QUICK)
    assert not PrintAttempt.objects.exists()


def test_a_file_that_is_not_gcode_is_refused_and_nothing_saved(course, trainee, offline_printer):
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    with pytest.raises(InvalidGcode):
        attempt_create(
            user=trainee, booking=booking, filename="photo.gcode", data=b"\x89PNG\r\n\x1a\n\0\0"
        )
    assert not PrintAttempt.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def _attempt_recorded(
    booking, *, state=State.QUEUED, filename="cube.gcode", gcode=GCODE_QUICK, **fields
):
    """An attempt written straight to the database, as the services would have left it."""
    attempt = PrintAttempt(
        booking=booking,
        trainee=booking.trainee,
        printer=booking.printer,
        practical=booking.practical,
        filename=filename,
        state=state,
        **fields,
    )
    attempt.gcode.save(filename, ContentFile(gcode), save=False)
    attempt.save()
    return attempt


def test_grading_rules(course, trainee, instructor, offline_printer):
    booking = _booking_now(course=course, user=trainee, printer=offline_printer)
    failed = _attempt_recorded(booking, state=State.FAILED)
    with pytest.raises(IllegalTransition):
        attempt_grade(grader=instructor, attempt=failed, passed=True, comment="")
    with pytest.raises(Exception) as error:
        attempt_grade(grader=trainee, attempt=failed, passed=False, comment="non")
    assert "formateurs" in str(error.value.message)
    with pytest.raises(Exception) as error:
        attempt_grade(grader=instructor, attempt=failed, passed=False, comment="  ")
    assert "commentaire" in str(error.value.message)
    graded = attempt_grade(grader=instructor, attempt=failed, passed=False, comment="Décollement")
    assert graded.grade == "failed" and graded.graded_by == instructor
    with pytest.raises(IllegalTransition) as error:
        attempt_grade(grader=instructor, attempt=failed, passed=False, comment="Encore")
    assert "déjà évaluée" in str(error.value.message)
    failed.refresh_from_db()
    assert failed.grade_comment == "Décollement"


def test_the_sweep_takes_over_prints_whose_worker_died(celery_worker, course, trainee, printer):
    from practicals.octoprint import client
    from practicals.services.printing import remote_name
    from practicals.tasks import printers_follow_sweep_task

    booking = _booking_now(course=course, user=trainee, printer=printer)
    # A print that was sent and started, then its worker died: nobody follows it.
    attempt = _attempt_recorded(
        booking, state=State.PRINTING, started_at=timezone.now() - dt.timedelta(minutes=2)
    )
    client.print_start(
        url=printer.octoprint_url,
        api_key=printer.api_key,
        filename=remote_name(attempt),
        content=GCODE_QUICK,
    )
    assert printers_follow_sweep_task() == {"sent": 0, "followed": 1}
    wait_for(_finished(attempt), timeout=60, what="the swept print to finish")
    assert attempt.state == State.COMPLETED
    assert attempt.followed_at is not None
    assert printers_follow_sweep_task() == {"sent": 0, "followed": 0}


def test_a_trainee_cancels_a_running_print(celery_worker, course, trainee, printer):
    from practicals.services import attempt_cancel

    # Long diagonal moves: over a minute on the Virtual Printer, time enough to cancel.
    long_print = "\n".join(
        ["G21", "G90", "G28"]
        + [f"G1 X{10 + (i % 2) * 180} Y{10 + (i % 2) * 180} F3000" for i in range(160)]
    ).encode()
    booking = _booking_now(course=course, user=trainee, printer=printer)
    attempt = attempt_create(user=trainee, booking=booking, filename="long.gcode", data=long_print)

    def printing():
        attempt.refresh_from_db()
        return attempt.state == State.PRINTING and attempt.progress is not None

    wait_for(printing, timeout=30, what="the print to be under way")
    attempt_cancel(user=trainee, attempt=attempt)
    wait_for(_finished(attempt), timeout=60, what="the cancellation to be recorded")
    assert attempt.state == State.CANCELLED
    assert [e.to_state for e in attempt.events.all()][-1] == "cancelled"
