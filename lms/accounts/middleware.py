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
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject

from . import user_cache

_CACHED_BACKENDS = (
    "lms.accounts.backends.AtelierModelBackend",
    "lms.accounts.backends.AtelierAuthenticationBackend",
)
# Which user a session holds, kept beside it so that the session and its user's keys are
# read in one round trip; only ever a hint: the session's own data decides (a pointer
# that disagrees with it is a miss, and is written again).
_POINTER = "atelier-session-user:{}"
_ID = "{id}"  # in a key: the session's user id, filled in by Redis (`lms.cache.read_following`)


def _page_keys(request, user_id) -> list[str]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return []
    from courses.routing import request_keys

    return request_keys(request, user_id=user_id)


def _in_one_round_trip(session) -> bool:
    """The session is read from the default cache, on Redis (`lms.cache`), not yet read."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    from lms.cache import RedisCache

    return (
        isinstance(session, SessionStore)
        and session._cache is caches["default"]
        and isinstance(session._cache, RedisCache)
        and session.session_key is not None
        and not hasattr(session, "_session_cache")
    )


def _read_ahead(request) -> dict | None:
    """The cache's values for the session's user and the page's next reads, or None when
    the session has no user of Atelier's backends. On Redis with cached sessions, the
    session, its user's keys and the page's are one round trip (a script: the user's keys
    follow from the pointer kept beside the session)."""
    session = request.session
    pointed, read = None, {}
    single = _in_one_round_trip(session)
    if single:
        from lms.cache import read_following

        page = _page_keys(request, _ID)
        pointer = _POINTER.format(session.session_key)
        session_key = session.cache_key
        pointed, read, following = read_following(
            caches["default"],
            pointer=pointer,
            keys=[session_key] + [key for key in page if _ID not in key],
            following=user_cache.user_keys(_ID) + [key for key in page if _ID in key],
        )
        data = read.pop(session_key, None)
        if data is not None:  # as cached_db's `load` would have read it; else it reads
            session._session_cache = data  # the database, as always
    user_id = session.get(auth.SESSION_KEY)
    if user_id is None or session.get(auth.BACKEND_SESSION_KEY) not in _CACHED_BACKENDS:
        return None
    try:
        pk = auth.get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    if pointed is not None and str(pointed) == str(pk):
        values = read | {key.replace(_ID, str(pk)): value for key, value in following.items()}
        page_keys = [key.replace(_ID, str(pk)) for key in page]
    else:
        page_keys = _page_keys(request, pk)
        values = read | cache.get_many(user_cache.user_keys(pk) + page_keys)
        if single and session.session_key is not None:
            cache.set(_POINTER.format(session.session_key), pk, session.get_expiry_age())
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
