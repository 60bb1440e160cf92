"""A second factor for staff: allauth's authenticator app (TOTP) and recovery codes.

Instructors, farm managers and administrators may protect their account with it; when
STAFF_MFA_REQUIRED is on (the production default) they must: until they have set up an
authenticator app, every page sends them to its set-up page. Trainees are never forced.
"""

from io import BytesIO

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The set-up QR code drawn by segno (already used for certificates), not qrcode."""
        out = BytesIO()
        segno.make(url, error="m").save(out, kind="svg", scale=5, xmldecl=False, border=2)
        return out.getvalue().decode()


def user_is_staff(*, user) -> bool:
    """Instructors, farm managers and administrators: those who must use a second factor.

    Whoever may open the admin (both staff roles give it): known without a query when
    the user was loaded by Atelier's backends (lms/accounts/backends.py)."""
    if user.is_superuser or user.is_staff:
        return True
    known = getattr(user, "_atelier_admin", None)
    if known is not None:
        return bool(known)
    return user.has_perm("wagtailadmin.access_admin")


def user_has_second_factor(*, user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Pages a staff member without a second factor may still open: setting it up, leaving.
ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/reauthenticate/")
ALLOWED_PATHS = ("/i18n/setlang/", "/healthz")
NUDGED = "atelier_second_factor_nudged"


class StaffSecondFactorMiddleware:
    """Sends staff without an authenticator app to its set-up page, when it is required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Checked once the view is known: a view marked `sessionless` (the live status of a
        # print, a capability URL) reads neither the session nor the user, so neither is
        # loaded for it; every other view is checked as before.
        if getattr(view_func, "sessionless", False) or not self._must_set_up(request):
            return None
        if not request.session.get(NUDGED):  # said once, not at every redirect
            request.session[NUDGED] = True
            messages.warning(
                request,
                _("Your role requires a second factor: set up an authenticator app to go on."),
                fail_silently=True,
            )
        return redirect(reverse("mfa_activate_totp"))

    @staticmethod
    def _must_set_up(request) -> bool:
        if not getattr(settings, "STAFF_MFA_REQUIRED", False):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        path = request.path_info
        if path.startswith(ALLOWED_PREFIXES) or path in ALLOWED_PATHS:
            return False
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return False
        return user_is_staff(user=user) and not user_has_second_factor(user=user)
