"""/healthz: is this instance able to serve? For a load balancer or a monitoring probe.

Checks the three parts every request or task needs: the database, the Celery broker and
the shared cache (sessions' rate limits live there). 200 with {"status": "ok"} when all
answer, 503 naming the failing part otherwise. No details of the error are shown (the
page is public); they go to the log.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        connect_timeout=TIMEOUT_SECONDS,
    ) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)


def _cache() -> None:
    key, value = "healthz", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")


CHECKS = {"database": _database, "broker": _broker, "cache": _cache}


def health_check() -> dict[str, str]:
    """Each part's state: "ok", or "error" (the exception is logged)."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s does not answer", name)
            results[name] = "error"
        else:
            results[name] = "ok"
        logger.debug("Health check of the %s: %.3f s", name, time.monotonic() - started)
    return results


@never_cache
@require_safe
def healthz(request):
    checks = health_check()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
