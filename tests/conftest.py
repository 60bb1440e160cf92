"""Shared test set-up: real services come from session fixtures in tests/fixtures/."""

import os

# Playwright's sync API runs an event loop in the main thread; Django then refuses ORM
# calls from tests that also drive the browser unless told this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

pytest_plugins = [
    "tests.fixtures.celery",
    "tests.fixtures.courses",
    "tests.fixtures.octoprint",
    "tests.fixtures.practicals",
    "tests.fixtures.redis_cache",
    "tests.fixtures.browser",
]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return [
        f"atelier: database {db['ENGINE'].rsplit('.', 1)[-1]} ({db['TEST']['NAME']}), "
        f"celery broker {settings.CELERY_BROKER_URL.split('://')[0]}"
    ]


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Each test starts with an empty cache: the database is rolled back between tests,
    so whatever was cached (course outlines, rendered fragments) would describe rows
    that no longer exist."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language, as a new worker does: a request in another
    language leaves it active in the thread (each request activates its own), and a
    service called directly by a later test would then speak it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
