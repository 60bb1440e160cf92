"""Sign-in sized for a classroom: allauth's rate limits as Atelier sets them.

Forty trainees behind one router log in within a minute; a stranger's wrong passwords lock
an account for a minute at most; behind a trusted proxy the client's address comes from
X-Forwarded-For. The limits are counted in the cache (locmem here, Redis in production).
"""

import time

import pytest
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.test import Client, override_settings

from lms.demo.users import user_ensure
from lms.roles import TRAINEE

PASSWORD = "classe-de-quarante"
LOCKED = "Trop de tentatives de connexion échouées"
ROUTER = "203.0.113.7"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def classroom(db):
    return [
        user_ensure(
            email=f"stagiaire{n:02}@example.org",
            full_name=f"Stagiaire {n:02}",
            password=PASSWORD,
            role=TRAINEE,
        )
        for n in range(40)
    ]


def log_in(client: Client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/dashboard/"


def test_forty_trainees_behind_one_router_log_in_within_a_minute(classroom):
    started = time.monotonic()
    for trainee in classroom:
        response = log_in(Client(REMOTE_ADDR=ROUTER), trainee.email, PASSWORD)
        assert logged_in(response), (trainee.email, response.status_code)
    assert time.monotonic() - started < 60


def test_typos_in_the_classroom_do_not_lock_out_the_others(classroom):
    # A dozen trainees mistype their password once before getting it right.
    for trainee in classroom[:12]:
        client = Client(REMOTE_ADDR=ROUTER)
        assert log_in(client, trainee.email, "mot-de-passe-faux").status_code == 200
        assert logged_in(log_in(client, trainee.email, PASSWORD))
    for trainee in classroom[12:]:
        assert logged_in(log_in(Client(REMOTE_ADDR=ROUTER), trainee.email, PASSWORD))


def test_a_strangers_wrong_passwords_lock_an_account_for_a_minute_at_most(classroom, monkeypatch):
    target = classroom[0]
    stranger = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(5):
        assert log_in(stranger, target.email, "devine").status_code == 200
    response = log_in(stranger, target.email, "devine")
    assert LOCKED in response.text

    # Locked: even the trainee, from the classroom, with the right password.
    response = log_in(Client(REMOTE_ADDR=ROUTER), target.email, PASSWORD)
    assert not logged_in(response) and LOCKED in response.text
    # The others are not.
    assert logged_in(log_in(Client(REMOTE_ADDR=ROUTER), classroom[1].email, PASSWORD))

    # A minute later the oldest failures have left the window: the trainee is back.
    later = time.time() + 61
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert logged_in(log_in(Client(REMOTE_ADDR=ROUTER), target.email, PASSWORD))


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_is_counted_apart(classroom):
    proxy = "127.0.0.1"

    def through_proxy(client_ip: str) -> Client:
        # A client's own X-Forwarded-For value is kept; the proxy appends the real address.
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_ip}")

    # Thirty wrong passwords from one address, spread over many accounts: that address
    # is stopped, even with a right password ...
    for n in range(30):
        log_in(through_proxy("198.51.100.66"), classroom[n % 10].email, "devine")
    response = log_in(through_proxy("198.51.100.66"), classroom[20].email, PASSWORD)
    assert not logged_in(response)
    # ... while the classroom, behind the same proxy, is not.
    assert logged_in(log_in(through_proxy(ROUTER), classroom[21].email, PASSWORD))


def test_without_a_trusted_proxy_the_header_is_ignored(classroom):
    # Someone sending X-Forwarded-For himself cannot pass for another address.
    for n in range(30):
        Client(REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/accounts/login/", {"login": classroom[n % 10].email, "password": "devine"}
        )
    response = log_in(Client(REMOTE_ADDR="198.51.100.66"), classroom[20].email, PASSWORD)
    assert not logged_in(response)
