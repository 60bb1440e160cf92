"""Pages that are the same for every visitor without a session, served whole from memory.

A view whose answer depends only on the URL, the language and some versioned data (the
catalogue's version, a certificate's status version) marks its response with
`page_shared`; `lms.middleware.SharedPageMiddleware` then keeps that response in the
worker's memory and serves it again to visitors without a session, as long as every
version key still holds the value read *before* the page was built, and never past
`until`. A change of the data gives its key a new value at once and again on commit
(`version_renew`), so a page built from rows read before a commit is stored under a
version that is already gone, and never served.

Nothing about a person is ever stored: only responses to requests with no session and no
messages cookie, and the CSRF token of the language form is put back per visitor.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

# How long a version key lives in the cache; a key gone (expired, evicted) simply means
# that no stored page matches any more until it is set again.
VERSION_SECONDS = 7 * 24 * 3600
# A shared page is kept at most this long even if nothing changes.
PAGE_SECONDS = 3600

ATTRIBUTE = "atelier_shared_page"


@dataclass(frozen=True)
class SharedPage:
    versions: tuple[str, ...]  # cache keys whose values the page depends on
    until: float  # time.time() after which the page must be built again
    limit: str = ""  # a look-up counter to count on every request ("" for none)


def page_shared(
    response, *, versions: list[str], seconds: float = PAGE_SECONDS, limit: str = ""
) -> None:
    """Declare `response` the same for every visitor without a session, for `seconds` at
    most, as long as each cache key of `versions` keeps its value."""
    setattr(
        response,
        ATTRIBUTE,
        SharedPage(versions=tuple(versions), until=time.time() + max(0, seconds), limit=limit),
    )


def version_get(key: str) -> str:
    """The current version under `key`, created when there is none (before any row is read)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, VERSION_SECONDS)
        version = cache.get(key)
    return version


def version_renew(key: str) -> None:
    """A new version under `key`: at once, and again when the transaction commits."""

    def renew():
        cache.set(key, uuid.uuid4().hex, VERSION_SECONDS)

    renew()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(renew)


def redis_client(backend):
    """The redis-py client of Django's Redis cache `backend`, kept on it: Django builds a
    new client object (and its table of ~170 reply parsers) for every call otherwise."""
    cache_client = backend._cache
    client = getattr(cache_client, "atelier_client", None)
    if client is None:
        client = cache_client.get_client(None, write=True)
        cache_client.atelier_client = client
    return client


def versions_read(keys: tuple[str, ...]) -> list:
    """The values of the cache keys `keys` (None when absent), in one round trip."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        found = backend.get_many(keys)
        return [found.get(key) for key in keys]
    values = redis_client(backend).mget([backend.make_and_validate_key(key) for key in keys])
    loads = backend._cache._serializer.loads
    return [None if value is None else loads(value) for value in values]
