"""Django's authentication middleware, with the session's user read from the shared cache
in the request's one round trip (`user_cache`).

`request.user` stays lazy (a view marked `sessionless` never loads it). When it is first
needed, and the session was opened with one of Atelier's backends, the user's cached
row and its versions are read together with the keys the page will read next (a page
served by Atelier's routing: `courses.routing.request_keys`; the URL is resolved by
then, the user being first needed by the second-factor check's `process_view`). Django's
own `get_user` then decides, as always: the session's user id and backend, the
backend's user, the session's hash, `is_active`.
"""

from __future__ import annotations

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject

from . import user_cache

_CACHED_BACKENDS = (
    "lms.accounts.backends.AtelierModelBackend",
    "lms.accounts.backends.AtelierAuthenticationBackend",
)


def _read_ahead(request) -> dict | None:
    """The cache's values for the session's user and the page's next reads, or None when
    the session has no user of Atelier's backends."""
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    if user_id is None or session.get(auth.BACKEND_SESSION_KEY) not in _CACHED_BACKENDS:
        return None
    try:
        pk = auth.get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    keys = user_cache.user_keys(pk)
    match = getattr(request, "resolver_match", None)
    page_keys = []
    if match is not None and match.url_name == "wagtail_serve":
        from courses.routing import request_keys

        page_keys = request_keys(request, user_id=pk)
    values = cache.get_many(keys + page_keys)
    if page_keys:
        request._atelier_read_ahead = (frozenset(page_keys), values)
    return values


def user_for_request(request):
    if not hasattr(request, "_cached_user"):
        token = user_cache.prefetched.set(_read_ahead(request))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            user_cache.prefetched.reset(token)
    return request._cached_user


class AtelierAuthenticationMiddleware(AuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)  # its checks, and `request.auser`
        request.user = SimpleLazyObject(lambda: user_for_request(request))
