"""OctoPrint API keys are encrypted at rest, and the encryption key can be rotated."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from practicals.models import Printer

KEY = "aB3_-" * 8 + "xyz"


def _token(printer) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM practicals_printer WHERE id = %s", [printer.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def stored(farm):
    return Printer.objects.create(
        farm=farm, name="Chiffrée", octoprint_url="http://192.0.2.30", api_key=KEY
    )


def test_the_database_holds_a_token_that_opens_with_the_key(stored, settings):
    token = _token(stored)
    assert KEY not in token
    assert Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode()).decode() == KEY
    assert Printer.objects.get(pk=stored.pk).api_key == KEY


def test_rotation_re_encrypts_under_the_new_key(stored, settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert Printer.objects.get(pk=stored.pk).api_key == KEY  # old tokens still open
    out = io.StringIO()
    call_command("encrypted_fields_rotate", stdout=out)
    assert "1 value(s)" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone
    assert Printer.objects.get(pk=stored.pk).api_key == KEY
    assert Fernet(new).decrypt(_token(stored).encode()).decode() == KEY


def test_a_missing_key_is_a_loud_configuration_error(stored, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        Printer.objects.get(pk=stored.pk)
