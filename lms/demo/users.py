"""Demo accounts, with verified e-mail addresses so they can log in at once."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lms.roles import FARM_MANAGER, INSTRUCTOR, TRAINEE

DEMO_PASSWORD = "atelier-demo"

DEMO_USERS = [
    # e-mail, full name, role, is superuser
    ("stagiaire@atelier.test", "Camille Martin", TRAINEE, False),
    ("formatrice@atelier.test", "Nadia Benali", INSTRUCTOR, False),
    ("gestionnaire@atelier.test", "Julien Morel", FARM_MANAGER, False),
    ("admin@atelier.test", "Admin Atelier", None, True),
]


def user_ensure(
    *, email: str, full_name: str, password: str, role: str | None = None, superuser: bool = False
):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            full_name=full_name,
            is_staff=superuser,
            is_superuser=superuser,
        )
    if role:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def users_seed() -> list:
    return [
        user_ensure(email=e, full_name=n, password=DEMO_PASSWORD, role=r, superuser=s)
        for e, n, r, s in DEMO_USERS
    ]
