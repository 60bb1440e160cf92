"""What the production settings refuse: development defaults that must not reach a server.

Plain functions of the values (no Django import), so the settings module can call them
before Django is configured.
"""

from urllib.parse import urlsplit

# The development default of FIELD_ENCRYPTION_KEYS (lms/settings/base.py), public in the repository.
DEV_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0xMjM="
DEV_SECRET_KEYS = {"", "dev-only-insecure-key-change-me", "test-only-key"}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def unsafe_production_settings(
    *,
    secret_key: str,
    allowed_hosts: list[str],
    site_url: str,
    database_engine: str,
    broker_url: str,
    cache_backend: str,
    email_backend: str,
    field_encryption_keys: list[str],
) -> list[str]:
    """One line per variable to set; empty when the values are fit for production."""
    problems = []
    if secret_key in DEV_SECRET_KEYS or len(secret_key) < 50:
        problems.append("SECRET_KEY: a random value of at least 50 characters")
    hosts = [host for host in allowed_hosts if host]
    if not hosts or "*" in hosts:
        problems.append("ALLOWED_HOSTS: the site's host names, e.g. atelier.example.org")
    host = urlsplit(site_url).hostname or ""
    if not site_url:
        problems.append("SITE_URL: the public address, e.g. https://atelier.example.org")
    elif host in LOOPBACK_HOSTS or host.startswith("127.") or urlsplit(site_url).scheme != "https":
        problems.append(
            f"SITE_URL: {site_url} is not a public https address; it is printed in "
            "certificates' QR codes (e.g. https://atelier.example.org)"
        )
    if database_engine.endswith("sqlite3"):
        problems.append("DATABASE_URL: PostgreSQL, e.g. postgres://atelier@127.0.0.1:5432/atelier")
    if broker_url.startswith(("filesystem://", "memory://", "sqla+")):
        problems.append("CELERY_BROKER_URL: Redis, e.g. redis://127.0.0.1:6379/0")
    if cache_backend in PER_PROCESS_CACHES:
        problems.append("CACHE_URL: a cache shared by every process, e.g. redis://127.0.0.1:6379/1")
    if email_backend in LOCAL_EMAIL_BACKENDS:
        problems.append("EMAIL_URL: an SMTP server, e.g. smtp+tls://user:pass@smtp.example.org:587")
    keys = [key for key in field_encryption_keys if key]
    if not keys or DEV_FIELD_ENCRYPTION_KEY in keys:
        problems.append(
            "FIELD_ENCRYPTION_KEYS: a Fernet key of your own (printers' API keys are encrypted "
            "with it), e.g. from `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`"
        )
    return problems
