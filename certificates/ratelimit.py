"""Rate limit of public look-ups, per client address, read the way allauth reads it.

The address comes from allauth's adapter (`get_client_ip`), so ALLAUTH_TRUSTED_PROXY_COUNT
(or ALLAUTH_TRUSTED_CLIENT_IP_HEADER) configures both the login limit and this one. Counts
live in Django's cache (shared in production through CACHE_URL), one fixed window per rate.
"""

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from courses.shared_pages import redis_client

# The name a shared page (`courses.shared_pages`) gives this limit, so that the page served
# from memory still counts every look-up (`lms.middleware.SharedPageMiddleware`).
VERIFY_LIMIT = "certificates.verify"
# Set on the request once its look-up is counted: a request is never counted twice.
_COUNTED = "certificates_verify_allowed"


# Every window counted (INCR, and the window's lifetime set when the key is new) and the
# keys to read read, in one atomic script: one round trip, and a key never lives without
# its lifetime. Cheaper than a MULTI/EXEC pipeline, whose client object is built anew per call.
_COUNT_AND_READ = """
local windows = tonumber(ARGV[1])
local out = {}
for i = 1, windows do
  local used = redis.call('INCR', KEYS[i])
  if used == 1 then redis.call('EXPIRE', KEYS[i], ARGV[i + 1]) end
  out[i] = used
end
for i = windows + 1, #KEYS do
  out[i] = redis.call('GET', KEYS[i])
end
return out
"""
_script = None


def _counts_on_redis(backend, windows, read: tuple[str, ...] = ()) -> tuple[list[int], list]:
    """The windows' counts after this look-up, and the values of the cache keys `read`."""
    global _script
    client = redis_client(backend)
    if _script is None:
        _script = client.register_script(_COUNT_AND_READ)
    keys = [backend.make_and_validate_key(key) for key, _ in windows]
    keys += [backend.make_and_validate_key(key) for key in read]
    results = _script(
        keys=keys, args=[len(windows), *(timeout for _, timeout in windows)], client=client
    )
    loads = backend._cache._serializer.loads
    values = [None if value in (None, False) else loads(value) for value in results[len(windows) :]]
    return results[: len(windows)], values


def verify_allowed(request) -> bool:
    """Count one look-up for this address; False once any window is full."""
    if hasattr(request, _COUNTED):  # counted by the shared page's middleware
        return getattr(request, _COUNTED)
    return _count_and_read(request, ())[0]


def verify_allowed_and_read(request, *, keys: tuple[str, ...]) -> tuple[bool, list]:
    """Count one look-up, and read the cache keys `keys`: one round trip on Redis.

    Returns whether the look-up is allowed and the keys' values (None when absent); the
    answer is kept on the request so that the view does not count it again."""
    allowed, values = _count_and_read(request, keys)
    setattr(request, _COUNTED, allowed)
    return allowed, values


def _count_and_read(request, keys) -> tuple[bool, list]:
    ip = get_adapter().get_client_ip(request)
    rates = []
    for rate in settings.CERTIFICATES_VERIFY_RATES:
        count, seconds = (int(part) for part in rate.split("/"))
        window = int(time.time() // seconds)
        rates.append((count, f"certificates:verify:{seconds}:{window}:{ip}", seconds + 1))
    backend = caches["default"]
    if isinstance(backend, RedisCache):  # production: one round trip, not four
        used, values = _counts_on_redis(
            backend, [(key, timeout) for _, key, timeout in rates], tuple(keys)
        )
        return all(n <= count for n, (count, _, _) in zip(used, rates, strict=True)), values
    allowed = True
    for count, key, timeout in rates:
        cache.add(key, 0, timeout=timeout)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            used = 1
        if used > count:
            allowed = False
    found = cache.get_many(keys) if keys else {}
    return allowed, [found.get(key) for key in keys]
