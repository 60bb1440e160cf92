"""The sign-up form's extra field: the legal name printed on certificates."""

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from lms.roles import TRAINEE


def normalise_name(value: str) -> str:
    """A name as printed: single spaces, and at least two characters."""
    name = " ".join(value.split())
    if len(name) < 2:
        raise forms.ValidationError(_("Please enter your full name."))
    return name


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full legal name"),
        max_length=150,
        help_text=_("As it must appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self):
        return normalise_name(self.cleaned_data["full_name"])

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        user.groups.add(Group.objects.get_or_create(name=TRAINEE)[0])
