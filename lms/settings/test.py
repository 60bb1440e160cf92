"""Test settings: fast hashing, in-memory e-mail, a test database a worker can share.

The Celery worker that some tests start runs in another process: it must open the very
database pytest-django created, so the test database has a fixed name (a file for SQLite)
and the worker is told to use it with ATELIER_WORKER_USES_TEST_DB.
"""

import os
from pathlib import Path

# Keep the tests' broker apart from a demo's, if one runs on the same machine.
os.environ.setdefault(
    "CELERY_BROKER_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test-broker")
)

from .base import *  # noqa: E402, F403
from .base import DATABASES, VAR_DIR, env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = str(VAR_DIR / "test-media")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="atelier-test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["TEST"] = {"NAME": str(VAR_DIR / "test-atelier.sqlite3")}
else:
    _db["TEST"] = {"NAME": f"test_{_db['NAME']}"}
if os.environ.get("ATELIER_WORKER_USES_TEST_DB"):
    _db["NAME"] = _db["TEST"]["NAME"]

# Static files straight from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
