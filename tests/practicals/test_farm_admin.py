"""Farm managers register printers in the Wagtail admin; a bad API key is refused clearly."""

import pytest

from lms.demo.users import user_ensure
from lms.roles import FARM_MANAGER
from practicals.models import Printer
from tests.fixtures.courses import PASSWORD


@pytest.fixture
def manager(db):
    return user_ensure(
        email="julien@example.org", full_name="Julien Morel", password=PASSWORD, role=FARM_MANAGER
    )


def _add(client, farm, api_key):
    return client.post(
        "/admin/snippets/practicals/printer/add/",
        {
            "farm": farm.pk,
            "name": "Prusa 3",
            "octoprint_url": "http://192.0.2.10",
            "api_key": api_key,
            "enabled": "on",
        },
    )


@pytest.mark.parametrize("api_key", ["0123456789abcdef0123456789ABCDEF", "aB3_-" * 8 + "xyz"])
def test_a_manager_adds_a_printer_with_either_kind_of_key(client, manager, farm, api_key):
    client.force_login(manager)
    response = _add(client, farm, api_key)
    assert response.status_code == 302, response.text[:2000]
    assert Printer.objects.get(name="Prusa 3").api_key == api_key


def test_a_malformed_key_is_refused_in_french(client, manager, farm):
    client.force_login(manager)
    response = _add(client, farm, "not a key")
    assert response.status_code == 200
    assert "Une clé d’API OctoPrint compte 32 caractères hexadécimaux" in response.text
    assert not Printer.objects.filter(name="Prusa 3").exists()


def test_a_trainee_cannot_add_printers(client, trainee, farm):
    client.force_login(trainee)
    assert _add(client, farm, "0123456789abcdef0123456789ABCDEF").status_code == 302
    assert not Printer.objects.exists()
