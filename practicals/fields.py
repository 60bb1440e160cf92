"""A text field encrypted at rest, for secrets Atelier must send on (OctoPrint API keys).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under the
keys in `settings.FIELD_ENCRYPTION_KEYS` (environment `FIELD_ENCRYPTION_KEYS`, comma
separated). A `MultiFernet` encrypts with the first key and decrypts with any of them, so a
key is rotated by putting a new one first, running `manage.py encrypted_fields_rotate`
(which re-encrypts every value under the new key), then removing the old key.

Python code sees plain text (`printer.api_key`); the database only ever holds tokens. A
token no configured key can open raises `ImproperlyConfigured` at read: a missing key is a
deployment error, never something to paper over with a wrong value.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            "(32 url-safe base64-encoded bytes): make one with "
            "cryptography.fernet.Fernet.generate_key()."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "was a key removed before `manage.py encrypted_fields_rotate` ran?"
        ) from None


class EncryptedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database. Not searchable, not orderable."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
