"""/healthz answers 200 when the database, the broker and the cache answer, 503 otherwise.

"Down" is real: each part is pointed at a loopback port where nothing listens.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_is_up_when_every_part_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_down_when_the_broker_is(client, db, closed_port):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/5"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "broker": "error", "cache": "ok"},
    }


def test_healthz_is_down_when_the_cache_is(client, db, closed_port):
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port}/6",
    }
    with override_settings(CACHES={"default": redis_cache}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "cache": "error"}


def test_healthz_is_down_when_the_database_is(closed_port):
    # A fresh process whose database server does not answer.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"postgres://atelier@127.0.0.1:{closed_port}/atelier",
    }
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["checks"] == {"database": "error", "broker": "ok", "cache": "ok"}


def test_healthz_only_reads(client, db):
    assert client.post("/healthz").status_code == 405
