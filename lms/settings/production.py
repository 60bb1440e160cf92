"""Production: everything that matters comes from the environment, and is required.

A development default left in place (SQLite, the filesystem broker, a per-process cache,
console e-mail, a loopback address printed in certificates' QR codes) stops the start with
one message naming every variable to set, rather than running half-safe.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, DATABASES, EMAIL_BACKEND, SITE_URL, env
from .checks import unsafe_production_settings

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
# Rotation: the previous keys, still accepted for sessions and links already sent.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Newest first; the older ones still decrypt until `manage.py encrypted_fields_rotate` ran.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

_problems = unsafe_production_settings(
    secret_key=SECRET_KEY,
    allowed_hosts=ALLOWED_HOSTS,
    site_url=SITE_URL if "SITE_URL" in env.ENVIRON else "",
    database_engine=DATABASES["default"]["ENGINE"],
    broker_url=CELERY_BROKER_URL,
    cache_backend=CACHES["default"]["BACKEND"],
    email_backend=EMAIL_BACKEND,
    field_encryption_keys=FIELD_ENCRYPTION_KEYS,
)
if _problems:
    raise ImproperlyConfigured(
        "Production settings refuse to start; set these environment variables:\n"
        + "\n".join(f"  - {problem}" for problem in _problems)
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Sessions read from the shared cache (Redis) and written through to the database: a
# logged-in page reads its session without a query, and a flushed cache loses no one's.
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
# HTTPS behind a proxy by default. For plain HTTP on loopback (`make bench`, a local try)
# set SECURE_SSL_REDIRECT, SECURE_COOKIES and SECURE_PROXY_SSL to false and
# ACCOUNT_DEFAULT_HTTP_PROTOCOL to http; never on a public address.
if env.bool("SECURE_PROXY_SSL", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
