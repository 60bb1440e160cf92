"""The trainee's own profile (the legal name printed on certificates) and language."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certificates.tasks import certificates_name_update_task

from .models import User
from .names import FullNameField


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name"]
        field_classes = {"full_name": FullNameField}


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        name_changed = "full_name" in form.changed_data
        form.save()
        if name_changed:  # valid certificates get a new version with the new name
            user_id = request.user.pk
            transaction.on_commit(lambda: certificates_name_update_task.delay(user_id))
        messages.success(request, _("Your name is saved."))
        return redirect("profile")
    return render(
        request,
        "lms/profile.html",
        {"form": form, "has_certificates": request.user.certificates.exists()},
        status=400 if form.errors else 200,
    )


def admin_login(request):
    """In place of Wagtail's login form, which would let a password alone in (no second
    factor): anonymous visitors go to allauth's login, someone logged in without access
    to the admin gets a refusal rather than a redirect loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/", login_url="account_login")


def language_set(request):
    """Django's language switcher, which also keeps a signed-in person's choice on their
    account: e-mails sent later by tasks, and new certificates, are written in it."""
    from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

    response = set_language(request)
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER, "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
