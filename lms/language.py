"""The language switch: a GET form, so that a page carries no per-visitor token.

The header's language form (`templates/base.html`) is sent with GET: an anonymous page is
then the same for every visitor and can be served whole (`lms.middleware.SharedPageMiddleware`),
with no CSRF token to mint and no cookie to set. Switching the language changes nothing
but the language cookie, and `next` must be a path of this site. A member's form is sent
with POST (with its token, checked by the CSRF middleware): Django's own `set_language`,
which also keeps the choice on their account (`lms.accounts.views.language_set`).
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .accounts.views import language_set as account_language_set


@never_cache
@require_http_methods(["GET", "POST"])
def language_set(request):
    if request.method == "POST":
        return account_language_set(request)
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        language_cookie_set(response, language)
    return response


def language_cookie_set(response, language: str) -> None:
    """The browser's language choice, as Django's own switcher writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
