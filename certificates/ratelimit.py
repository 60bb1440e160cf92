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


def _counts_on_redis(backend, windows) -> list[int]:
    """Every window counted in one round trip: INCR, and the window's lifetime set when
    the key is new (EXPIRE NX), in one MULTI/EXEC so a key never lives without one."""
    client = backend._cache.get_client(None, write=True)
    pipe = client.pipeline(transaction=True)
    for key, timeout in windows:
        redis_key = backend.make_and_validate_key(key)
        pipe.incr(redis_key)
        pipe.expire(redis_key, timeout, nx=True)
    return pipe.execute()[0::2]


def verify_allowed(request) -> bool:
    """Count one look-up for this address; False once any window is full."""
    ip = get_adapter().get_client_ip(request)
    rates = []
    for rate in settings.CERTIFICATES_VERIFY_RATES:
        count, seconds = (int(part) for part in rate.split("/"))
        window = int(time.time() // seconds)
        rates.append((count, f"certificates:verify:{seconds}:{window}:{ip}", seconds + 1))
    backend = caches["default"]
    if isinstance(backend, RedisCache):  # production: one round trip, not four
        used = _counts_on_redis(backend, [(key, timeout) for _, key, timeout in rates])
        return all(n <= count for n, (count, _, _) in zip(used, rates, strict=True))
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
    return allowed
