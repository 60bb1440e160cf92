"""Permissions read in one query (lms/accounts/backends.py), the same as Django's two."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.accounts.backends import AtelierAuthenticationBackend, AtelierModelBackend
from lms.accounts.second_factor import user_is_staff
from lms.roles import INSTRUCTOR


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_own_and_group_permissions_in_one_query(trainee):
    own = Permission.objects.get(codename="view_booking")
    trainee.user_permissions.add(own)
    trainee.groups.add(Group.objects.get(name=INSTRUCTOR))
    expected = ModelBackend().get_all_permissions(_fresh(trainee))
    user = _fresh(trainee)
    with CaptureQueriesContext(connection) as queries:
        found = AtelierModelBackend().get_all_permissions(user)
        assert user.has_perm("practicals.view_booking")
        assert user.has_perm("practicals.grade_printattempt")
        assert not user.has_perm("practicals.delete_farm")
    assert found == expected
    assert "practicals.view_booking" in found and "practicals.grade_printattempt" in found
    assert len(queries) == 1


def test_a_trainee_has_no_permission_and_is_not_staff(trainee):
    user = _fresh(trainee)
    assert AtelierModelBackend().get_all_permissions(user) == set()
    assert not user_is_staff(user=user)


def test_instructors_and_superusers_are_staff(instructor, trainee):
    assert user_is_staff(user=_fresh(instructor))
    trainee.is_superuser = True
    trainee.save()
    superuser = _fresh(trainee)
    assert user_is_staff(user=superuser)
    assert AtelierModelBackend().get_all_permissions(
        superuser
    ) == ModelBackend().get_all_permissions(_fresh(trainee))


def test_a_role_taken_away_counts_at_the_next_request(instructor):
    assert _fresh(instructor).has_perm("practicals.grade_printattempt")
    instructor.groups.clear()
    assert not _fresh(instructor).has_perm("practicals.grade_printattempt")


def test_the_session_user_comes_with_whether_they_are_staff(instructor, trainee):
    for person, staff in ((instructor, True), (trainee, False)):
        for backend in (AtelierModelBackend(), AtelierAuthenticationBackend()):
            user = backend.get_user(person.pk)
            with CaptureQueriesContext(connection) as queries:
                assert user_is_staff(user=user) is staff
            assert len(queries) == 0


def test_a_permission_given_to_a_trainee_directly_makes_them_staff(trainee):
    trainee.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert user_is_staff(user=AtelierModelBackend().get_user(trainee.pk))


def test_a_trainees_permissions_cost_no_query_of_their_own(trainee, instructor):
    user = AtelierModelBackend().get_user(trainee.pk)
    with CaptureQueriesContext(connection) as queries:
        assert not user.has_perm("practicals.grade_printattempt")
        assert not user.has_perm("wagtailadmin.access_admin")
    assert len(queries) == 0
    staff = AtelierModelBackend().get_user(instructor.pk)
    with CaptureQueriesContext(connection) as queries:
        assert staff.has_perm("practicals.grade_printattempt")
    assert len(queries) == 1


def test_a_trainee_given_one_permission_has_it_at_the_next_request(trainee):
    trainee.user_permissions.add(Permission.objects.get(codename="view_booking"))
    user = AtelierModelBackend().get_user(trainee.pk)
    assert user.has_perm("practicals.view_booking")
    assert not user.has_perm("practicals.grade_printattempt")
