"""The sign-up form's extra field: the legal name printed on certificates."""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.roles import TRAINEE

from .names import FullNameField


class SignupForm(forms.Form):
    full_name = FullNameField(help_text=_("As it must appear on your certificates."))

    field_order = ["full_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        # The language the person signed up in, until they choose another.
        language = (get_language() or "")[:2]
        user.language = language if language in dict(settings.LANGUAGES) else ""
        user.save(update_fields=["full_name", "language"])
        user.groups.add(Group.objects.get_or_create(name=TRAINEE)[0])
