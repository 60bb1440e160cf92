"""Farms, printers, materials and bookings in the Wagtail admin: scoped to one's own farms.

A farm manager lists, opens and changes only the farms they manage, their printers and
bookings; another farm's objects answer 404 and are absent from lists. The API key is
write-only; the "test connection" screen asks a real OctoPrint.
"""

import datetime as dt

import pytest
from django.db import connection

from lms.demo.users import user_ensure
from lms.roles import FARM_MANAGER
from practicals.models import Booking, Farm, Material, Printer
from tests.fixtures.courses import PASSWORD, steps_of
from tests.fixtures.practicals import farm_open_always, pla

KEY_HEX = "0123456789abcdef0123456789ABCDEF"
KEY_43 = "aB3_-" * 8 + "xyz"
PRINTERS = "/admin/snippets/practicals/printer/"
FARMS = "/admin/snippets/practicals/farm/"
BOOKINGS = "/admin/snippets/practicals/booking/"


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


@pytest.fixture
def other_printer(other_farm):
    return Printer.objects.create(
        farm=other_farm,
        name="Voisine 1",
        octoprint_url="http://192.0.2.20",
        api_key=KEY_43,
        material=pla(),
    )


def _form(farm, api_key, **extra):
    return {
        "farm": farm.pk,
        "name": "Prusa 3",
        "model_name": "Prusa MK4",
        "octoprint_url": "http://192.0.2.10",
        "api_key": api_key,
        "build_x": 250,
        "build_y": 210,
        "build_z": 220,
        "nozzle_diameter": "0.40",
        "material": pla().pk,
        "enabled": "on",
        **extra,
    }


def _stored_token(printer) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM practicals_printer WHERE id = %s", [printer.pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("api_key", [KEY_HEX, KEY_43])
def test_a_manager_adds_a_printer_with_either_kind_of_key(client, manager, farm, api_key):
    client.force_login(manager)
    response = client.post(PRINTERS + "add/", _form(farm, api_key))
    assert response.status_code == 302, response.text[:2000]
    printer = Printer.objects.get(name="Prusa 3")
    assert printer.api_key == api_key
    assert (printer.build_x, printer.build_y, printer.build_z) == (250, 210, 220)
    assert printer.material.name == "PLA"
    # Encrypted at rest: the column holds a Fernet token, not the key.
    token = _stored_token(printer)
    assert api_key not in token and token.startswith("gAAAA")


def test_the_key_is_never_shown_again_and_blank_keeps_it(client, manager, farm):
    client.force_login(manager)
    client.post(PRINTERS + "add/", _form(farm, KEY_43))
    printer = Printer.objects.get(name="Prusa 3")
    page = client.get(f"{PRINTERS}edit/{printer.pk}/")
    assert page.status_code == 200
    assert KEY_43 not in page.text and _stored_token(printer) not in page.text
    assert "Une clé est enregistrée" in page.text

    response = client.post(f"{PRINTERS}edit/{printer.pk}/", _form(farm, "", name="Prusa 3b"))
    assert response.status_code == 302, response.text[:2000]
    printer.refresh_from_db()
    assert printer.name == "Prusa 3b" and printer.api_key == KEY_43

    client.post(f"{PRINTERS}edit/{printer.pk}/", _form(farm, KEY_HEX, name="Prusa 3b"))
    printer.refresh_from_db()
    assert printer.api_key == KEY_HEX


def test_a_new_printer_needs_a_key(client, manager, farm):
    client.force_login(manager)
    response = client.post(PRINTERS + "add/", _form(farm, ""))
    assert response.status_code == 200
    assert not Printer.objects.filter(name="Prusa 3").exists()


def test_a_malformed_key_is_refused_in_french(client, manager, farm):
    client.force_login(manager)
    response = client.post(PRINTERS + "add/", _form(farm, "not a key"))
    assert response.status_code == 200
    assert "Une clé d’API OctoPrint compte 32 caractères hexadécimaux" in response.text
    assert not Printer.objects.filter(name="Prusa 3").exists()


def test_a_trainee_cannot_add_printers(client, trainee, farm):
    client.force_login(trainee)
    assert client.post(PRINTERS + "add/", _form(farm, KEY_HEX)).status_code == 302
    assert not Printer.objects.exists()


def test_a_manager_cannot_put_a_printer_in_another_farm(client, manager, other_farm):
    client.force_login(manager)
    response = client.post(PRINTERS + "add/", _form(other_farm, KEY_HEX))
    assert response.status_code == 200
    assert not Printer.objects.filter(name="Prusa 3").exists()


def test_a_manager_sees_only_their_farms_printers(client, manager, farm, other_printer):
    mine = Printer.objects.create(
        farm=farm, name="Mienne 1", octoprint_url="http://192.0.2.11", api_key=KEY_43
    )
    client.force_login(manager)
    listing = client.get(PRINTERS)
    assert listing.status_code == 200
    assert mine.name in listing.text and other_printer.name not in listing.text
    farms = client.get(FARMS)
    assert farm.name in farms.text and other_printer.farm.name not in farms.text


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage", "copy"])
def test_another_farms_printer_is_not_found(client, manager, other_printer, view):
    client.force_login(manager)
    assert client.get(f"{PRINTERS}{view}/{other_printer.pk}/").status_code == 404


def test_another_farm_cannot_be_changed(client, manager, other_farm):
    client.force_login(manager)
    assert client.get(f"{FARMS}edit/{other_farm.pk}/").status_code == 404
    response = client.post(f"{FARMS}edit/{other_farm.pk}/", {"name": "Prise"})
    assert response.status_code == 404
    other_farm.refresh_from_db()
    assert other_farm.name == "Ferme voisine"


def test_a_posted_edit_of_another_farms_printer_changes_nothing(client, manager, other_printer):
    client.force_login(manager)
    response = client.post(
        f"{PRINTERS}edit/{other_printer.pk}/", _form(other_printer.farm, "", name="Volée")
    )
    assert response.status_code == 404
    other_printer.refresh_from_db()
    assert other_printer.name == "Voisine 1"


def test_a_manager_edits_their_farm_hours_and_closures(client, manager, farm):
    client.force_login(manager)
    existing = list(farm.opening_hours.all())
    data = {
        "name": farm.name,
        "address": "3 rue de l’Atelier, 69001 Lyon",
        "timezone": "Europe/Paris",
        "booking_window_days": str(farm.booking_window_days),
        "min_notice_minutes": str(farm.min_notice_minutes),
        "max_active_bookings": str(farm.max_active_bookings),
        "cancel_until_hours": str(farm.cancel_until_hours),
        "no_show_minutes": str(farm.no_show_minutes),
        "service_after_print_hours": "0",
        "service_after_failures": "0",
        "opening_hours-TOTAL_FORMS": str(len(existing) + 1),
        "opening_hours-INITIAL_FORMS": str(len(existing)),
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "closures-TOTAL_FORMS": "1",
        "closures-INITIAL_FORMS": "0",
        "closures-MIN_NUM_FORMS": "0",
        "closures-MAX_NUM_FORMS": "1000",
        "closures-0-starts_on": "2026-12-24",
        "closures-0-ends_on": "2026-12-26",
        "closures-0-reason": "Noël",
        "closures-0-ORDER": "1",
        "closures-0-DELETE": "",
        "closures-0-id": "",
    }
    # The fixture's seven rows come first in the formset: delete them, add Monday 9–18.
    for i, hours in enumerate(existing):
        data.update(
            {
                f"opening_hours-{i}-id": str(hours.pk),
                f"opening_hours-{i}-weekday": str(hours.weekday),
                f"opening_hours-{i}-opens_at": "00:00",
                f"opening_hours-{i}-closes_at": "00:00",
                f"opening_hours-{i}-ORDER": str(i + 1),
                f"opening_hours-{i}-DELETE": "1",
            }
        )
    new = len(existing)
    data.update(
        {
            f"opening_hours-{new}-id": "",
            f"opening_hours-{new}-weekday": "0",
            f"opening_hours-{new}-opens_at": "09:00",
            f"opening_hours-{new}-closes_at": "18:00",
            f"opening_hours-{new}-ORDER": str(new + 1),
            f"opening_hours-{new}-DELETE": "",
        }
    )
    response = client.post(f"{FARMS}edit/{farm.pk}/", data)
    assert response.status_code == 302, response.text[:3000]
    farm.refresh_from_db()
    assert farm.address.startswith("3 rue")
    assert [(h.weekday, h.opens_at, h.closes_at) for h in farm.opening_hours.all()] == [
        (0, dt.time(9), dt.time(18))
    ]
    assert farm.closures.get().reason == "Noël"
    # Who staffs a farm is not the manager's call: the field is not even offered.
    assert 'name="managers"' not in client.get(f"{FARMS}edit/{farm.pk}/").text


def test_bookings_are_listed_for_the_managers_farm_only(
    client, manager, farm, other_printer, trainee, course
):
    practical = steps_of(course)[-1]
    mine = Printer.objects.create(
        farm=farm, name="Mienne 1", octoprint_url="http://192.0.2.11", api_key=KEY_43
    )
    start = dt.datetime(2030, 1, 7, 9, tzinfo=dt.UTC)
    here = Booking.objects.create(
        trainee=trainee,
        printer=mine,
        practical=practical,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    there = Booking.objects.create(
        trainee=trainee,
        printer=other_printer,
        practical=practical,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    client.force_login(manager)
    listing = client.get(BOOKINGS)
    assert listing.status_code == 200
    assert f"inspect/{here.pk}/" in listing.text and f"inspect/{there.pk}/" not in listing.text
    assert client.get(f"{BOOKINGS}inspect/{there.pk}/").status_code == 404
    assert client.get(f"{BOOKINGS}inspect/{here.pk}/").status_code == 200
    # Bookings change only through the booking service, never through an admin form.
    assert client.get(f"{BOOKINGS}edit/{here.pk}/").status_code in (302, 403)


def test_materials_are_data_with_ordered_ranges(admin_client):
    names = set(Material.objects.values_list("name", flat=True))
    assert {"PLA", "PETG", "ABS", "TPU"} <= names or names == {"PLA"}  # flushed DB: fixture only
    response = admin_client.post(
        "/admin/snippets/practicals/material/add/",
        {
            "name": "PC",
            "aliases": "",
            "nozzle_min": 300,
            "nozzle_max": 260,
            "bed_min": 90,
            "bed_max": 120,
        },
    )
    assert response.status_code == 200
    assert "Le maximum ne doit pas être inférieur au minimum" in response.text
    assert not Material.objects.filter(name="PC").exists()


def test_connection_test_on_a_real_virtual_printer(client, manager, printer):
    client.force_login(manager)
    page = client.get(f"{PRINTERS}test/{printer.pk}/")
    assert page.status_code == 200
    assert "Tout fonctionne" in page.text and "1.11" in page.text


def test_connection_test_says_the_key_is_refused(client, manager, printer):
    printer.api_key = "0123456789abcdef0123456789abcdef"
    printer.save()
    client.force_login(manager)
    page = client.get(f"{PRINTERS}test/{printer.pk}/")
    assert "refuse la clé d’API" in page.text


def test_connection_test_says_the_printer_is_unreachable(client, manager, offline_printer):
    client.force_login(manager)
    page = client.get(f"{PRINTERS}test/{offline_printer.pk}/")
    assert "OctoPrint est injoignable" in page.text


def test_connection_test_of_another_farms_printer_is_not_found(client, manager, other_printer):
    client.force_login(manager)
    assert client.get(f"{PRINTERS}test/{other_printer.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/choose/practicals/printer/",
        "/admin/snippets/choose/practicals/printer/results/",
        "/admin/snippets/choose/practicals/farm/",
        PRINTERS,
        BOOKINGS,
    ],
)
def test_another_farm_is_absent_from_choosers_and_filters(
    client, manager, farm, other_printer, url
):
    client.force_login(manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ferme voisine" not in page.text and "Voisine 1" not in page.text


def test_another_farms_printer_cannot_be_chosen(client, manager, other_printer):
    client.force_login(manager)
    url = f"/admin/snippets/choose/practicals/printer/chosen/{other_printer.pk}/"
    assert client.get(url).status_code == 404
