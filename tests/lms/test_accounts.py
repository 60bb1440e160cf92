"""Sign-up with a verified e-mail, the legal name, roles after migrate, production checks."""

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail

ROOT = Path(__file__).resolve().parents[2]


def test_roles_exist_after_migrate(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Trainee", "Instructor", "Farm manager"} <= names
    instructor = Group.objects.get(name="Instructor")
    assert instructor.permissions.filter(codename="grade_printattempt").exists()


def test_signup_requires_name_and_verified_email(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "",
            "email": "lea@example.org",
            "password1": "x9!kLm#27pQ",
            "password2": "x9!kLm#27pQ",
        },
    )
    assert response.status_code == 200
    assert "Champ requis" in response.text
    assert not get_user_model().objects.exists()

    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "  Léa   Dupont ",
            "email": "lea@example.org",
            "password1": "x9!kLm#27pQ",
            "password2": "x9!kLm#27pQ",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="lea@example.org")
    assert user.full_name == "Léa Dupont"
    assert user.groups.filter(name="Trainee").exists()
    assert len(mail.outbox) == 1 and "/accounts/confirm-email/" in mail.outbox[0].body
    assert "example.com" not in mail.outbox[0].body and "Atelier" in mail.outbox[0].body
    # Not verified yet: logging in sends to the verification page, not the dashboard.
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": "lea@example.org", "password": "x9!kLm#27pQ"}
    )
    assert response.status_code == 302 and "confirm-email" in response["Location"]


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "lms.settings.production",
        "SECRET_KEY": "k" * 60 + "-a-long-random-production-key",
        "ALLOWED_HOSTS": "atelier.example.org",
        "FIELD_ENCRYPTION_KEYS": "J1Ym7s0yQ0qjJ0h2m5dV8lYz3b9cE4fG6hI7jK8lM9o=",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_password_reset_sends_a_link(client, trainee):
    response = client.post("/accounts/password/reset/", {"email": trainee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_dashboard_needs_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_instructors_may_author_pages_after_migrate(db):
    from wagtail.models import GroupPagePermission

    codenames = set(
        GroupPagePermission.objects.filter(group__name="Instructor").values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page"}


def test_trainee_corrects_the_name_printed_on_certificates(client, trainee):
    client.force_login(trainee)
    response = client.post("/profile/", {"full_name": "X"})
    assert response.status_code == 400
    assert "Indiquez votre nom complet." in response.text
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin"
    response = client.post("/profile/", {"full_name": "Camille  Martin-Durand"}, follow=True)
    assert "Votre nom est enregistré." in response.text
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin-Durand"
