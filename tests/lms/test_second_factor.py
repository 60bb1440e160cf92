"""A second factor for staff: an authenticator app (TOTP) and recovery codes.

Codes are computed here from the secret with RFC 6238 (HMAC-SHA1, 30 s, 6 digits), as a
phone app would, independently of allauth's own implementation.
"""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import override_settings

from tests.fixtures.courses import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def log_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def test_the_code_function_matches_rfc_6238():
    # RFC 6238 appendix B, SHA-1, truncated to 6 digits.
    rfc_secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(rfc_secret, at=59) == "287082"
    assert totp_code(rfc_secret, at=1111111109) == "081804"


def test_staff_log_in_with_a_code_from_their_authenticator_app(client, instructor):
    TOTP.activate(instructor, SECRET)
    response = log_in(client, instructor)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/dashboard/").status_code == 302  # not logged in yet

    wrong = f"{(int(totp_code(SECRET)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200 and "Code incorrect" in response.text

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_a_recovery_code_works_once(client, instructor):
    TOTP.activate(instructor, SECRET)
    code = RecoveryCodes.activate(instructor).get_unused_codes()[0]
    log_in(client, instructor)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/dashboard/"
    client.post("/accounts/logout/")
    log_in(client, instructor)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_when_required_staff_must_set_up_an_authenticator_first(client, instructor):
    assert log_in(client, instructor)["Location"] == "/dashboard/"
    for page in ["/dashboard/", "/admin/", "/practicals/grading/", "/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == "/accounts/2fa/totp/activate/"

    # Setting up a second factor asks for the password again (allauth's reauthentication).
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert "exige un second facteur" in page.text
    assert page.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")
    response = client.post(page.redirect_chain[-1][0], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.text)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"[^>]*id="authenticator_secret"', page.text)
    assert secret, page.text
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret[1])})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=instructor, type="totp").exists()
    assert Authenticator.objects.filter(user=instructor, type="recovery_codes").exists()
    assert client.get("/dashboard/").status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_trainees_are_never_forced(client, trainee):
    assert log_in(client, trainee)["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/profile/").status_code == 200


def test_the_wagtail_login_cannot_skip_the_second_factor(client, instructor):
    TOTP.activate(instructor, SECRET)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": instructor.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/login/")


def test_a_trainee_at_the_admin_login_is_refused_without_a_loop(client, trainee):
    client.force_login(trainee)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/", follow=True).status_code == 403
