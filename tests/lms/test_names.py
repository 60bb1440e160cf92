"""Names printed on certificates: NFC, single spaces, no control or invisible characters.

The one rule (lms.accounts.names) holds at sign-up, in the profile and in the Wagtail admin.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lms.accounts.names import name_normalise, validate_printable_name
from lms.demo.users import user_ensure

REFUSED = {
    "right-to-left override": "Camille \u202emaS",
    "left-to-right isolate": "Camille \u2066Martin\u2069",
    "zero-width space": "Camille\u200bMartin",
    "zero-width joiner": "Cami\u200dlle Martin",
    "byte order mark": "\ufeffCamille Martin",
    "soft hyphen": "Camille Mar\u00adtin",
    "escape": "Camille \x1b[31mMartin",
    "null": "Camille\x00 Martin",
    "private use": "Camille \ue000Martin",
}
FRENCH_MESSAGE = "Le nom contient un caractère invisible ou de contrôle"


def test_names_are_nfc_with_single_spaces():
    assert name_normalise("  Le\u0301a \t Du\u00a0\u00a0Pont\n") == "Léa Du Pont"
    assert name_normalise("Le\u0301a") == "L\u00e9a"
    assert name_normalise("Ōe Kenzaburō") == "Ōe Kenzaburō"


@pytest.mark.parametrize("name", REFUSED.values(), ids=REFUSED.keys())
def test_control_and_format_characters_are_refused(name):
    with pytest.raises(ValidationError) as raised:
        validate_printable_name(name_normalise(name))
    assert raised.value.code == "invisible_character"


def test_names_from_many_scripts_are_accepted():
    for name in [
        "Nguyễn Thị Minh",
        "Zoë O’Brien-Duval",
        "Ahmed Ben Saïd",
        "李小龙",
        "Ørsted Ågård",
    ]:
        validate_printable_name(name_normalise(name))


def test_signup_refuses_a_bidi_override_and_stores_nfc(client, db):
    form = {"email": "lea@example.org", "password1": "x9!kLm#27pQ", "password2": "x9!kLm#27pQ"}
    response = client.post("/accounts/signup/", {**form, "full_name": "Léa \u202etnoPuD"})
    assert response.status_code == 200
    assert FRENCH_MESSAGE in response.text and "U+202E" in response.text
    assert not get_user_model().objects.exists()

    response = client.post("/accounts/signup/", {**form, "full_name": "Le\u0301a   Dupont"})
    assert response.status_code == 302
    assert get_user_model().objects.get().full_name == "L\u00e9a Dupont"


def test_profile_refuses_a_zero_width_space(client, trainee):
    client.force_login(trainee)
    response = client.post("/profile/", {"full_name": "Camille\u200bMartin"})
    assert response.status_code == 400
    assert FRENCH_MESSAGE in response.text and "U+200B" in response.text
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin"


@pytest.fixture
def admin_client(client, db):
    admin = user_ensure(
        email="root@example.org", full_name="Admin Atelier", password="pw", superuser=True
    )
    client.force_login(admin)
    return client


def admin_form(user, full_name):
    return {
        "email": user.email,
        "full_name": full_name,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
    }


def test_admin_edits_the_legal_name_under_the_same_rule(admin_client, trainee):
    url = f"/admin/users/edit/{trainee.pk}/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'name="full_name"' in page.text

    response = admin_client.post(url, admin_form(trainee, "Camille \u2067Martin"))
    assert response.status_code == 200
    assert FRENCH_MESSAGE in response.text and "U+2067" in response.text
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin"

    response = admin_client.post(url, admin_form(trainee, "  Camille   Martin-Durand "))
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin-Durand"


def test_admin_creates_a_user_under_the_same_rule(admin_client):
    form = {
        "email": "new@example.org",
        "password1": "x9!kLm#27pQ",
        "password2": "x9!kLm#27pQ",
        "is_active": "on",
    }
    response = admin_client.post("/admin/users/new/", {**form, "full_name": "Noé\u200b Lefèvre"})
    assert response.status_code == 200 and "U+200B" in response.text
    assert not get_user_model().objects.filter(email="new@example.org").exists()
    response = admin_client.post(
        "/admin/users/new/", {**form, "full_name": "No\u0065\u0301 Lefèvre"}
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(email="new@example.org").full_name == "No\u00e9 Lefèvre"
