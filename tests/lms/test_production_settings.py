"""Production settings: secure by default, plain HTTP on loopback only when asked, and
persistent database connections.

Each case imports the settings module in a fresh interpreter, as gunicorn would.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.lms.test_settings import SAFE

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'proxy': s.SECURE_PROXY_SSL_HEADER, 'redirect': s.SECURE_SSL_REDIRECT,"
    "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE,"
    "'protocol': s.ACCOUNT_DEFAULT_HTTP_PROTOCOL,"
    "'age': s.DATABASES['default']['CONN_MAX_AGE'],"
    "'health': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
)


def _production_settings(**extra: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECURE_PROXY_SSL",
            "SECURE_SSL_REDIRECT",
            "SECURE_COOKIES",
            "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
            "CONN_MAX_AGE",
        }
    }
    env.update(SAFE)  # production settings refuse to start without these
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.production", **extra)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_is_https_with_persistent_connections_by_default():
    s = _production_settings()
    assert s["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["redirect"] is True
    assert s["session"] is True and s["csrf"] is True
    assert s["protocol"] == "https"
    assert s["age"] == 60 and s["health"] is True


def test_plain_http_on_loopback_only_when_asked():
    s = _production_settings(
        SECURE_PROXY_SSL="false",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        ACCOUNT_DEFAULT_HTTP_PROTOCOL="http",
        CONN_MAX_AGE="300",
    )
    assert s["proxy"] is None
    assert s["redirect"] is False
    assert s["session"] is False and s["csrf"] is False
    assert s["protocol"] == "http"
    assert s["age"] == 300
