"""Entry points default to production settings, and those refuse to start unsafe.

Each case starts the settings in a fresh interpreter, as gunicorn or celery would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SAFE = {
    "SECRET_KEY": "k" * 60 + "-a-long-random-production-key",
    "ALLOWED_HOSTS": "atelier.example.org",
    "SITE_URL": "https://atelier.example.org",
    "DATABASE_URL": "postgres://atelier@127.0.0.1:5432/atelier",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5",
    "CACHE_URL": "redis://127.0.0.1:6379/6",
    "EMAIL_URL": "smtp+tls://atelier:secret@smtp.example.org:587",
    "FIELD_ENCRYPTION_KEYS": "J1Ym7s0yQ0qjJ0h2m5dV8lYz3b9cE4fG6hI7jK8lM9o=",
}
# Variables a developer's shell or the test run may carry, which would hide a default.
CLEARED = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND", "DEBUG", *SAFE}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CLEARED}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def test_wsgi_defaults_to_production_settings():
    result = run(f"import lms.wsgi; {SHOW}", **SAFE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["lms.settings.production", "False"]


def test_celery_app_defaults_to_production_settings():
    # What `celery -A lms worker` does: import the package, take its app, load the config.
    code = (
        "import lms; app = lms.celery_app; app.loader.import_default_modules(); "
        "print(app.conf.broker_url); " + SHOW
    )
    result = run(code, **SAFE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [SAFE["CELERY_BROKER_URL"], "lms.settings.production", "False"]


def test_manage_py_keeps_development_settings():
    result = run(
        "import runpy, sys; sys.argv = ['manage.py', 'diffsettings', '--all']; "
        "runpy.run_path('manage.py', run_name='__main__')"
    )
    assert result.returncode == 0, result.stderr
    assert "SETTINGS_MODULE = 'lms.settings.dev'" in result.stdout
    assert "DEBUG = True" in result.stdout


def start_production(**env: str) -> subprocess.CompletedProcess:
    return run(
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings.production'; " + SHOW,
        **env,
    )


def test_production_starts_with_safe_values():
    result = start_production(**SAFE)
    assert result.returncode == 0, result.stderr


def test_production_names_every_missing_variable_in_one_message():
    result = start_production()
    assert result.returncode != 0
    message = result.stderr.rsplit("ImproperlyConfigured:", 1)[1]
    for variable in SAFE:
        assert f"  - {variable}: " in message, variable


@pytest.mark.parametrize(
    ("variable", "unsafe"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", "dev-only-insecure-key-change-me"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", None),
        ("ALLOWED_HOSTS", "*"),
        ("SITE_URL", None),
        ("SITE_URL", "http://127.0.0.1:8000"),
        ("SITE_URL", "https://localhost"),
        ("SITE_URL", "http://atelier.example.org"),
        ("DATABASE_URL", None),
        ("DATABASE_URL", "sqlite:////srv/atelier/atelier.sqlite3"),
        ("CELERY_BROKER_URL", None),
        ("CELERY_BROKER_URL", "filesystem://localhost//"),
        ("CACHE_URL", None),
        ("CACHE_URL", "locmemcache://"),
        ("EMAIL_URL", None),
        ("EMAIL_URL", "consolemail://"),
        ("FIELD_ENCRYPTION_KEYS", None),
        ("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0xMjM="),
    ],
)
def test_production_refuses_a_development_default(variable, unsafe):
    env = {k: v for k, v in SAFE.items() if k != variable}
    if unsafe is not None:
        env[variable] = unsafe
    result = start_production(**env)
    assert result.returncode != 0, result.stdout
    message = result.stderr.rsplit("ImproperlyConfigured:", 1)[1]
    named = [line.split(":")[0].strip(" -") for line in message.splitlines() if "  - " in line]
    assert named == [variable]


def test_production_settings_pass_check_deploy():
    result = run(
        "import runpy, sys; sys.argv = ['manage.py', 'check', '--deploy', '--fail-level', "
        "'WARNING']; runpy.run_path('manage.py', run_name='__main__')",
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        **SAFE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_makes_a_second_factor_mandatory_for_staff_by_default():
    show = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)"
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings.production'; "
    assert run(code + show, **SAFE).stdout.split() == ["True"]
    assert run(code + show, **SAFE, STAFF_MFA_REQUIRED="false").stdout.split() == ["False"]
    dev = run("import lms.settings.dev as s; print(s.STAFF_MFA_REQUIRED)")
    assert dev.stdout.split() == ["False"], dev.stderr


def test_production_reads_sessions_from_the_shared_cache_and_keeps_them_in_the_database():
    show = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings.production'; "
    result = run(code + show, **SAFE)
    assert result.stdout.split() == ["django.contrib.sessions.backends.cached_db"], result.stderr


def test_a_key_prefix_in_cache_url_reaches_the_keys():
    # django-environ passes `?key_prefix=` in lower case, which Django's cache ignores:
    # two sites sharing a Redis database would read each other's keys.
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lms.settings.production'; "
        "from django.core.cache import cache; print(cache.make_key('outline'))"
    )
    result = run(code, **{**SAFE, "CACHE_URL": "redis://127.0.0.1:6379/6?key_prefix=site-b"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["site-b:1:outline"]


OPTIONS = (
    "import lms.wsgi; from django.conf import settings; "
    "print(settings.DATABASES['default'].get('OPTIONS'))"
)


def test_postgresql_statements_are_bound_on_the_server_and_prepared():
    result = run(OPTIONS, **SAFE)
    assert result.returncode == 0, result.stderr
    assert "'server_side_binding': True" in result.stdout
    assert "'prepare_threshold': 5" in result.stdout


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    result = run(OPTIONS, **SAFE, DATABASE_PREPARED_STATEMENTS="false")
    assert result.returncode == 0, result.stderr
    assert "prepare_threshold" not in result.stdout
    assert "server_side_binding" not in result.stdout


def test_sqlite_keeps_its_own_options():
    result = run(
        OPTIONS.replace("import lms.wsgi; ", ""),
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL="sqlite:////tmp/atelier-settings.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "prepare_threshold" not in result.stdout
