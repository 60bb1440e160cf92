"""The one rule for names printed on certificates, used at sign-up, in the profile and admin.

A name is stored as Unicode NFC with runs of whitespace collapsed to one space, and may not
hold control or invisible format characters (Unicode categories Cc and Cf: bidirectional
overrides, zero-width spaces, soft hyphens…), nor unassigned, private-use or surrogate code
points: they would print differently from what the trainee and the employer read.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REFUSED_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs"}
NAME_MAX_LENGTH = 150


def name_normalise(value: str) -> str:
    """NFC, whitespace (spaces, tabs, no-break spaces, new lines) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def validate_printable_name(value: str) -> None:
    """Refuse invisible and control characters, naming the first one found."""
    for char in value:
        if char.isspace():
            continue
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            raise ValidationError(
                _(
                    "The name contains an invisible or control character (%(code)s). "
                    "Please type it again without copying and pasting."
                ),
                code="invisible_character",
                params={"code": f"U+{ord(char):04X}"},
            )
    if len(value) < 2:
        raise ValidationError(_("Please enter your full name."), code="too_short")


class FullNameField(forms.CharField):
    """The legal name as a form field: normalised, then checked by the one validator."""

    default_validators = [validate_printable_name]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", NAME_MAX_LENGTH)
        kwargs.setdefault("label", _("Full legal name"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return name_normalise(super().to_python(value))
