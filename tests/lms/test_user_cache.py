"""The session's user read from the shared cache (lms/accounts/user_cache.py): no query
for it, and every change of the user, their groups or permissions seen at the next
request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lms.accounts import user_cache
from lms.accounts.backends import AtelierModelBackend
from lms.roles import INSTRUCTOR
from tests.fixtures.courses import PASSWORD

pytestmark = pytest.mark.django_db

GRADING = "/practicals/grading/"


def _logged_in(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _user_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"accounts_user"' in q["sql"]]


def _profile(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/profile/")
    return response, queries


def test_the_session_user_costs_no_query_once_kept(redis_cache, trainee):
    client = _logged_in(trainee)
    first, queries = _profile(client)
    assert first.status_code == 200 and len(_user_queries(queries)) == 1
    again, queries = _profile(client)
    assert again.status_code == 200
    assert _user_queries(queries) == []
    assert trainee.full_name in again.content.decode()


def test_the_kept_row_holds_no_password_hash(redis_cache, trainee):
    _profile(_logged_in(trainee))
    (kept_key,) = redis_cache.written("*atelier-user:*")
    kept = redis_cache.raw.get(kept_key)
    trainee.refresh_from_db()
    assert trainee.password.encode() not in kept
    assert trainee.password.split("$")[-1].encode() not in kept


def test_a_changed_password_logs_the_session_out_at_once(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    _profile(client)
    trainee.set_password("another long passphrase")
    trainee.save()
    response, _ = _profile(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deactivated_user_is_logged_out_at_once(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    _profile(client)
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    response, _ = _profile(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_deleted_user_is_logged_out_at_once(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    trainee.delete()
    response, _ = _profile(client)
    assert response.status_code == 302


def test_a_changed_name_is_seen_at_once(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    trainee.full_name = "Camille Martin-Durand"
    trainee.save()
    response, _ = _profile(client)
    assert "Camille Martin-Durand" in response.content.decode()


def test_a_role_given_and_taken_is_seen_at_the_next_request(redis_cache, trainee):
    client = _logged_in(trainee)
    assert client.get(GRADING).status_code == 403
    assert client.get(GRADING).status_code == 403  # from the kept row
    trainee.groups.add(Group.objects.get(name=INSTRUCTOR))
    assert client.get(GRADING).status_code == 200
    trainee.groups.remove(Group.objects.get(name=INSTRUCTOR))
    assert client.get(GRADING).status_code == 403
    Group.objects.get(name=INSTRUCTOR).user_set.add(trainee)  # from the group's side
    assert client.get(GRADING).status_code == 200
    Group.objects.get(name=INSTRUCTOR).user_set.clear()
    assert client.get(GRADING).status_code == 403


def test_a_groups_new_permission_is_seen_at_once(redis_cache, trainee):
    """A trainee has no permission at all, which the kept row says (`any permission`):
    giving their group one renews every kept row."""
    group = Group.objects.create(name="Lecteurs")
    trainee.groups.add(group)
    client = _logged_in(trainee)
    assert client.get(GRADING).status_code == 403
    assert client.get(GRADING).status_code == 403
    group.permissions.add(Permission.objects.get(codename="grade_printattempt"))
    assert client.get(GRADING).status_code == 200
    group.delete()
    assert client.get(GRADING).status_code == 403


def test_a_permission_given_directly_is_seen_at_once(redis_cache, trainee):
    client = _logged_in(trainee)
    assert client.get(GRADING).status_code == 403
    trainee.user_permissions.add(Permission.objects.get(codename="grade_printattempt"))
    assert client.get(GRADING).status_code == 200


def test_a_logged_out_session_has_no_user_whatever_is_kept(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    assert redis_cache.written("*atelier-user:*")
    client.post("/accounts/logout/")
    response, _ = _profile(client)
    assert response.status_code == 302


def test_each_session_gets_its_own_user(redis_cache, trainee, other_trainee):
    first, second = _logged_in(trainee), _logged_in(other_trainee)
    for _ in range(2):
        assert trainee.full_name in _profile(first)[0].content.decode()
        page = _profile(second)[0].content.decode()
        assert other_trainee.full_name in page and trainee.full_name not in page


def test_a_row_read_while_a_change_commits_is_never_used(redis_cache, trainee):
    """The versions are read before the row: a row read before a change committed is
    kept under the version the change replaced."""
    backend = AtelierModelBackend()
    keys = user_cache.user_keys(trainee.pk)
    user_cache.user_get(trainee.pk, values=redis_cache.cache.get_many(keys), load=backend.get_user)
    read_before = redis_cache.cache.get_many(keys)  # the versions, and a row kept under them
    del read_before[keys[-1]]  # as if the row had not been kept yet
    stale = backend.get_user(trainee.pk)
    trainee.is_active = False
    trainee.save()  # renews the version (at once; on commit too)
    loads = []

    def load_stale(pk):
        loads.append(pk)
        return stale

    user_cache.user_get(trainee.pk, values=read_before, load=load_stale)  # kept, old version
    now = redis_cache.cache.get_many(user_cache.user_keys(trainee.pk))
    user = user_cache.user_get(
        trainee.pk, values=now, load=lambda pk: loads.append(pk) or backend.get_user(pk)
    )
    assert len(loads) == 2  # the stale row was not used
    assert user is None  # inactive: the backend refuses them


def test_a_flushed_cache_costs_a_query_never_a_wrong_user(redis_cache, trainee):
    client = _logged_in(trainee)
    _profile(client)
    for key in redis_cache.written():  # this test's keys only (never a flush)
        redis_cache.raw.delete(key)
    response, queries = _profile(client)
    assert response.status_code == 200 and len(_user_queries(queries)) == 1


@pytest.fixture
def production_sessions(redis_cache, settings):
    """Production's sessions: cached_db, on Atelier's Redis cache (lms/cache.py)."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "BACKEND": "lms.cache.RedisCache"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_cache


def _redis_commands(monkeypatch) -> list:
    import redis

    sent = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


def test_a_lesson_reads_its_session_user_and_keys_in_one_round_trip(
    production_sessions, monkeypatch, course, trainee
):
    from courses import services
    from tests.fixtures.courses import steps_of

    lesson = steps_of(course)[0]
    services.enrolment_create(user=trainee, course=course)
    client = _logged_in(trainee)
    for _ in range(3):
        assert client.get(lesson.url).status_code == 200
    sent = _redis_commands(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(lesson.url)
    assert response.status_code == 200 and f"<h1>{lesson.title}</h1>" in response.text
    assert len(sent) == 1  # session, its user's kept row and versions, the page's keys
    assert len(queries) == 1  # the lesson's row (with enrolment and completion)


def test_a_session_pointing_at_another_user_gets_its_own_user(
    production_sessions, trainee, other_trainee
):
    """The pointer beside a session only saves a round trip: the session's own data decides."""
    first = _logged_in(trainee)
    _profile(first)
    _profile(first)
    session_key = first.cookies["sessionid"].value
    production_sessions.cache.set(f"atelier-session-user:{session_key}", other_trainee.pk)
    page = _profile(first)[0].text
    assert trainee.full_name in page and other_trainee.full_name not in page


def test_a_password_change_logs_out_with_production_sessions(production_sessions, trainee):
    client = _logged_in(trainee)
    _profile(client)
    _profile(client)
    trainee.set_password("another long passphrase")
    trainee.save()
    assert _profile(client)[0].status_code == 302
