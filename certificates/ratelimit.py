"""Rate limit of public look-ups, per client address, read the way allauth reads it.

The address comes from allauth's adapter (`get_client_ip`), so ALLAUTH_TRUSTED_PROXY_COUNT
(or ALLAUTH_TRUSTED_CLIENT_IP_HEADER) configures both the login limit and this one. Counts
live in Django's cache (shared in production through CACHE_URL), one fixed window per rate.
"""

import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache


def verify_allowed(request) -> bool:
    """Count one look-up for this address; False once any window is full."""
    ip = get_adapter().get_client_ip(request)
    allowed = True
    for rate in settings.CERTIFICATES_VERIFY_RATES:
        count, seconds = (int(part) for part in rate.split("/"))
        window = int(time.time() // seconds)
        key = f"certificates:verify:{seconds}:{window}:{ip}"
        try:  # one round trip to the cache in the common case (the window has started)
            used = cache.incr(key)
        except ValueError:  # the window's first look-up, or it expired meanwhile
            used = 1 if cache.add(key, 1, timeout=seconds + 1) else cache.incr(key)
        if used > count:
            allowed = False
    return allowed
