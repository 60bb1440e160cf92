"""Practicals views: every one checks who is asking, on the server."""

from django.core.files.uploadedfile import SimpleUploadedFile

from practicals.models import PrintAttempt, RubricCriterion
from tests.fixtures.courses import steps_of
from tests.fixtures.practicals import GCODE_QUICK
from tests.fixtures.progress import booking_tomorrow, practical_passed, theory_complete
from tests.practicals.test_attempt_status import _page_status_url


def _book(client, user, course):
    practical = theory_complete(course=course, user=user)
    client.force_login(user)
    page = client.get(practical.url)
    slot = page.context["state"]
    assert slot.booking is None and not slot.missing
    html = page.text
    starts_at = html.split('name="starts_at" value="', 1)[1].split('"', 1)[0]
    printer_id = html.split('name="printer" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/practicals/{practical.pk}/book/", {"printer": printer_id, "starts_at": starts_at}
    )
    assert response.status_code == 302
    return response["Location"]


def test_practical_page_lists_what_is_missing(client, course, trainee, offline_printer):
    *_, practical = steps_of(course)
    client.force_login(trainee)
    client.post(f"/courses/{course.pk}/enrol/")
    html = client.get(practical.url).text
    assert "Terminez d’abord ces étapes" in html and "La sécurité à l’atelier" in html
    response = client.post(f"/practicals/{practical.pk}/book/", {"printer": "1", "starts_at": "x"})
    assert response.status_code == 302
    assert "Choisissez un créneau" in client.get(practical.url).text


def test_booking_pages_belong_to_their_trainee(
    client, course, trainee, other_trainee, offline_printer
):
    booking_url = _book(client, trainee, course)
    assert client.get(booking_url).status_code == 200
    client.force_login(other_trainee)
    assert client.get(booking_url).status_code == 403
    assert client.post(booking_url + "print/", {}).status_code == 403
    assert client.post(booking_url + "cancel/").status_code == 403


def test_upload_that_is_not_gcode_shows_why_and_keeps_the_booking(
    client, course, trainee, offline_printer
):
    booking_url = _book(client, trainee, course)
    response = client.post(
        booking_url + "print/",
        {"gcode": SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")},
    )
    assert response.status_code == 400
    assert "n’est pas un fichier G-code" in response.text
    assert not PrintAttempt.objects.exists()
    assert client.get(booking_url).status_code == 200


def test_attempts_and_grading_are_protected(
    client, course, trainee, other_trainee, instructor, offline_printer
):
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    url = f"/practicals/attempts/{attempt.pk}/"
    client.force_login(other_trainee)
    assert client.get(url).status_code == 403
    # The status answers only at the URL the attempt page signs (test_attempt_status.py).
    assert client.get(url + "status/").status_code == 404
    assert client.get("/practicals/grading/").status_code == 403
    assert client.post(url + "grade/", {"passed": "1"}).status_code == 403
    client.force_login(trainee)
    assert client.get(_page_status_url(client, attempt)).json()["state"] == "completed"
    client.force_login(instructor)
    assert client.get(url).status_code == 200


def test_failing_a_print_needs_a_comment(client, course, trainee, instructor, offline_printer):
    attempt = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    PrintAttempt.objects.filter(pk=attempt.pk).update(grade="")
    offline_printer.farm.instructors.add(instructor)
    criterion = RubricCriterion.objects.create(
        page=attempt.practical, label="Surface", levels="Ratée\nPassable\nBonne\nParfaite"
    )
    client.force_login(instructor)
    response = client.post(
        f"/practicals/attempts/{attempt.pk}/grade/",
        {f"criterion_{criterion.pk}": "0", "comment": ""},
    )
    assert response.status_code == 400
    assert "Expliquez ce qui n’allait pas" in response.text
    attempt.refresh_from_db()
    assert attempt.grade == ""


def test_a_refused_action_gets_its_status_and_a_french_message(
    client, course, trainee, offline_printer
):
    booking_url = _book(client, trainee, course)
    assert client.post(booking_url + "cancel/").status_code == 302
    response = client.post(booking_url + "cancel/")
    assert response.status_code == 409
    assert "Cette réservation ne peut plus être annulée." in response.text


def test_grading_queue_shows_only_what_needs_a_grade(
    client, course, trainee, instructor, offline_printer
):
    from practicals.selectors import attempts_to_grade

    passed = practical_passed(
        course=course, user=trainee, printer=offline_printer, grader=instructor
    )
    fields = {
        "booking": passed.booking,
        "trainee": trainee,
        "printer": offline_printer,
        "practical": passed.practical,
        "gcode": passed.gcode.name,
    }
    done = PrintAttempt.objects.create(filename="a.gcode", state="completed", **fields)
    offline_printer.farm.instructors.add(instructor)
    assert list(attempts_to_grade(user=instructor)) == []  # the trainee passed this practical
    PrintAttempt.objects.filter(pk=passed.pk).update(grade="failed")
    PrintAttempt.objects.create(filename="b.gcode", state="cancelled", **fields)
    assert list(attempts_to_grade(user=instructor)) == [done]
    client.force_login(instructor)
    page = client.get("/practicals/grading/").text
    assert page.count(f"/practicals/attempts/{done.pk}/grade/") == 1
    assert page.count("/grade/") == 1


def test_a_future_slot_offers_no_upload_yet(client, course, trainee, offline_printer):
    booking = booking_tomorrow(course=course, user=trainee, printer=offline_printer)
    client.force_login(trainee)
    html = client.get(f"/practicals/bookings/{booking.pk}/").text
    assert "une fois votre créneau commencé" in html
    assert 'type="file"' not in html
    response = client.post(
        f"/practicals/bookings/{booking.pk}/print/",
        {"gcode": SimpleUploadedFile("cube.gcode", GCODE_QUICK)},
    )
    assert response.status_code == 403
    assert "Vous ne pouvez imprimer que pendant votre créneau" in response.text
    assert not PrintAttempt.objects.exists()
