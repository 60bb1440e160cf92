"""The farm board: what each printer's follower stored, for that farm's staff only, in a few
queries whatever the number of printers, and never a call to OctoPrint."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms.demo.users import user_ensure
from lms.roles import FARM_MANAGER
from practicals.models import Booking, Farm, PrintAttempt, Printer, PrinterLease
from practicals.octoprint import client as octoprint_client
from tests.fixtures.courses import PASSWORD, _person, steps_of
from tests.fixtures.practicals import farm_open_always, pla

State = PrintAttempt.State
KEY = "k" * 43


@pytest.fixture
def manager(db, farm):
    user = user_ensure(
        email="julien@example.org", full_name="Julien Morel", password=PASSWORD, role=FARM_MANAGER
    )
    farm.managers.add(user)
    return user


@pytest.fixture
def other_farm(db):
    return farm_open_always(Farm.objects.create(name="Ferme voisine", timezone="Europe/Paris"))


@pytest.fixture(autouse=True)
def no_octoprint(monkeypatch):
    """The board reads the database only: any call to OctoPrint fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the board called OctoPrint")

    for name in ("job_status", "printer_connect", "printer_state", "print_start", "print_cancel"):
        if hasattr(octoprint_client, name):
            monkeypatch.setattr(octoprint_client, name, refuse)


def _printer(farm, name):
    # Nothing listens at this address: a board that called it would hang or fail.
    return Printer.objects.create(
        farm=farm, name=name, octoprint_url="http://127.0.0.1:9", api_key=KEY, material=pla()
    )


def _booking(printer, trainee, practical, *, starts_in_min, minutes=60):
    start = timezone.now() + dt.timedelta(minutes=starts_in_min)
    return Booking.objects.create(
        trainee=trainee,
        printer=printer,
        practical=practical,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
    )


def _attempt(booking, state, **fields):
    attempt = PrintAttempt(
        booking=booking,
        trainee=booking.trainee,
        printer=booking.printer,
        practical=booking.practical,
        filename="cube.gcode",
        state=state,
        **fields,
    )
    attempt.gcode.save("cube.gcode", ContentFile(b"G28\n"), save=False)
    attempt.save()
    return attempt


def _cards(client, farm):
    response = client.get(f"/practicals/farms/{farm.pk}/board.json")
    assert response.status_code == 200
    return {card["id"]: card for card in response.json()["printers"]}


def test_each_printer_shows_its_state_job_trainee_temperatures_and_next_booking(
    client, manager, farm, course, trainee, other_trainee
):
    practical = steps_of(course)[-1]
    now = timezone.now()
    busy, heating_one, idle, gone, silent = (
        _printer(farm, name) for name in ("A busy", "B heating", "C idle", "D gone", "E silent")
    )
    _attempt(
        _booking(busy, trainee, practical, starts_in_min=-10),
        State.PRINTING,
        started_at=now,
        followed_at=now,
        progress=42.4,
        time_left_s=754,
        nozzle_actual=209.6,
        nozzle_target=210,
        bed_actual=60,
        bed_target=60,
    )
    _booking(busy, other_trainee, practical, starts_in_min=50)
    _attempt(
        _booking(heating_one, other_trainee, practical, starts_in_min=-5),
        State.PRINTING,
        started_at=now,
        followed_at=now,
        nozzle_actual=120,
        nozzle_target=210,
    )
    PrinterLease.objects.create(printer=gone, unreachable_since=now - dt.timedelta(minutes=2))
    _attempt(
        _booking(silent, trainee, practical, starts_in_min=-30),
        State.PRINTING,
        started_at=now - dt.timedelta(minutes=5),
        followed_at=now - dt.timedelta(minutes=2),  # its follower stopped writing
    )

    client.force_login(manager)
    cards = _cards(client, farm)
    card = cards[busy.pk]
    assert (card["status"], card["status_label"], card["offline"]) == (
        "printing",
        "impression",
        False,
    )
    assert (card["file"], card["trainee"]) == ("cube.gcode", "Camille Martin")
    assert (card["progress"], card["progress_text"]) == (42, "42\u00a0%")
    assert card["time_left"] == "12\u00a0min\u00a034"
    assert (
        card["nozzle"] == "210\u00a0/\u00a0210\u00a0°C"
        and card["bed"] == "60\u00a0/\u00a060\u00a0°C"
    )
    assert card["next_booking"].endswith(" · Sam Petit")
    assert cards[heating_one.pk]["status_label"] == "chauffe"
    assert cards[idle.pk]["status_label"] == "libre" and cards[idle.pk]["file"] == ""
    for offline in (gone, silent):
        assert cards[offline.pk]["offline"] is True
        assert cards[offline.pk]["status_label"] == "hors ligne"
        assert cards[offline.pk]["offline_text"].startswith("depuis ")

    page = client.get(f"/practicals/farms/{farm.pk}/board/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Imprimantes de Ferme de test" in html and "Prochaine réservation" in html
    assert html.count('class="card board-card') == 5
    assert "<h2>A busy</h2>" in html and "<h2>E silent</h2>" in html
    assert '<p class="board-about">PLA</p>' in html
    assert "board-card offline" in html and "farm-board.js" in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize("who", ["trainee", "other_manager", "anonymous"])
def test_only_the_farms_staff_see_its_board(client, farm, other_farm, trainee, who):
    _printer(farm, "A")
    if who == "trainee":
        client.force_login(trainee)
    elif who == "other_manager":
        neighbour = _person(
            email="voisin@example.org", full_name="Voisin", password=PASSWORD, role=FARM_MANAGER
        )
        other_farm.managers.add(neighbour)
        client.force_login(neighbour)
    for url in (f"/practicals/farms/{farm.pk}/board/", f"/practicals/farms/{farm.pk}/board.json"):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404


def test_the_farms_instructors_see_its_board_and_the_menu_leads_there(client, farm, instructor):
    _printer(farm, "A")
    farm.instructors.add(instructor)
    client.force_login(instructor)
    assert client.get(f"/practicals/farms/{farm.pk}/board/").status_code == 200
    home = client.get("/dashboard/").content.decode()
    assert 'href="/practicals/farms/"' in home and "Tableau des imprimantes" in home
    response = client.get("/practicals/farms/")
    assert response.status_code == 302 and response["Location"].endswith(f"/{farm.pk}/board/")


def test_a_staff_member_of_no_farm_is_told_so(client, instructor, trainee):
    client.force_login(trainee)
    assert client.get("/practicals/farms/").status_code == 404
    client.force_login(instructor)
    response = client.get("/practicals/farms/")
    assert response.status_code == 200
    assert "Vous n’êtes rattaché à aucune ferme." in response.content.decode()


def _fill(farm, count, trainee, practical):
    now = timezone.now()
    for index in range(count):
        printer = _printer(farm, f"P{index:02d}")
        booking = _booking(printer, trainee, practical, starts_in_min=-10)
        _booking(printer, trainee, practical, starts_in_min=60)
        if index % 3 == 0:
            _attempt(booking, State.PRINTING, started_at=now, followed_at=now, progress=10)
        elif index % 3 == 1:
            PrinterLease.objects.create(printer=printer, seen_at=now, unreachable_since=now)


def test_the_board_costs_the_same_queries_for_3_and_30_printers(
    client, manager, farm, other_farm, course, trainee
):
    practical = steps_of(course)[-1]
    other_farm.managers.add(manager)
    _fill(farm, 3, trainee, practical)
    _fill(other_farm, 30, trainee, practical)
    client.force_login(manager)
    # The first request of a session reads the user's row and keeps it (lms/accounts/user_cache.py).
    client.get(f"/practicals/farms/{farm.pk}/board.json")
    counts = []
    for some in (farm, other_farm):
        for url in (
            f"/practicals/farms/{some.pk}/board.json",
            f"/practicals/farms/{some.pk}/board/",
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(queries))
    assert len(_cards(client, other_farm)) == 30
    small_json, small_page, large_json, large_page = counts
    assert small_json == large_json and small_page == large_page
    assert large_json <= 5  # session, farm, printers, attempts, bookings (the user is kept)


def test_the_admins_farm_list_links_to_each_board(client, manager, farm, other_farm):
    client.force_login(manager)
    listing = client.get("/admin/snippets/practicals/farm/").content.decode()
    assert f'href="/practicals/farms/{farm.pk}/board/"' in listing
    assert f"/practicals/farms/{other_farm.pk}/board/" not in listing
