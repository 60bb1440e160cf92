"""The session's user kept in the shared cache, read with the request's other cache keys.

Every logged-in page loads its user (`lms.accounts.backends`: the row with the staff and
any-permission flags, one query). Here the user's row is kept in the shared cache, and
read in the same round trip as what the page will read next (a routed page's keys,
`courses.routing.request_keys`), so a logged-in page costs no query for its user.

Never stale: the row is kept with the versions it was read under, and used only while
both still hold:

- the user's own version, renewed by any save or deletion of the user (a password, an
  e-mail, `is_active`, a role flag) and any change of their groups or own permissions;
- the version of everyone's permissions, renewed by any change of a group's permissions,
  a group's or a permission's deletion (which drop rows without a signal per user).

Each version is renewed at once and again on commit (`user_cache_receivers.py`), and read *before*
the row: a row read while a change commits is kept under the version the change
replaces, and never used. A key missing from the cache (flushed, evicted) is a miss,
never a guess. Nothing else is kept: the session decides who is logged in (a logged-out
session has no user id), Django then checks the session's hash against the user's and
whether they may still log in (`is_active`), exactly as for a user read from the
database. The password hash is not kept: only the session hash derived from it (as the
session holds it), and the row's key carries an id of the secret key that derived it.
A write that bypasses the model's signals (`QuerySet.update()` on users, raw SQL) must
call `user_changed`; Atelier's code has none.
"""

from __future__ import annotations

import hashlib
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

ROW_TIMEOUT = 3600
VERSION_TIMEOUT = 30 * 24 * 3600
_VERSION = "atelier-user-version:{}"
_ALL_VERSION = "atelier-users-permissions-version"
_ROW = "atelier-user:{}:{}"  # id of the secret key, user id

# The cache's values read for the user being loaded: set by the authentication
# middleware around Django's `get_user` (the backend is given only an id).
prefetched: ContextVar[dict | None] = ContextVar("atelier_user_prefetched", default=None)

_secret_ids: dict[str, str] = {}


def _secret_id() -> str:
    secret = settings.SECRET_KEY
    found = _secret_ids.get(secret)
    if found is None:
        found = _secret_ids[secret] = hashlib.blake2b(
            secret.encode(), digest_size=6, person=b"atelier-user"
        ).hexdigest()
    return found


def user_keys(pk) -> list[str]:
    """The keys to read before loading user `pk`, in the request's one round trip."""
    return [_VERSION.format(pk), _ALL_VERSION, _ROW.format(_secret_id(), pk)]


def _renew(key: str) -> None:
    def new_version():
        cache.set(key, uuid.uuid4().hex, VERSION_TIMEOUT)

    new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_version)


def user_changed(pk) -> None:
    """The user's row, groups or own permissions changed: their kept row is not used again."""
    _renew(_VERSION.format(pk))


def users_permissions_changed() -> None:
    """A group's permissions, or a group or permission removed: no kept row is used again."""
    _renew(_ALL_VERSION)


def _versions(pk, values: dict) -> tuple[str, str]:
    """The two versions as read before the row; created when missing (then read back, so
    that a version another process set in between is the one the row is kept under)."""
    keys = (_VERSION.format(pk), _ALL_VERSION)
    missing = [key for key in keys if values.get(key) is None]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, VERSION_TIMEOUT)
        values.update(cache.get_many(missing))
    return values.get(keys[0]), values.get(keys[1])


def user_get(pk, *, values: dict, load):
    """User `pk` from the values read (`user_keys`), or loaded with `load(pk)` and kept."""
    from django.contrib.auth import get_user_model

    User = get_user_model()  # noqa: N806
    kept = values.get(_ROW.format(_secret_id(), pk))
    version, all_version = values.get(_VERSION.format(pk)), values.get(_ALL_VERSION)
    if kept is not None and version is not None and kept[0] == (version, all_version):
        _, names, row, admin, any_permission, session_hash = kept
        user = User.from_db("default", names, row)
        user._atelier_admin = admin
        user._atelier_any_permission = any_permission
        user._atelier_session_auth_hash = session_hash
        return user
    version, all_version = _versions(pk, values)
    user = load(pk)
    if user is None or version is None or all_version is None:
        return user
    names = tuple(
        field.attname for field in User._meta.concrete_fields if field.attname != "password"
    )
    kept = (
        (version, all_version),
        names,
        tuple(getattr(user, name) for name in names),
        user._atelier_admin,
        user._atelier_any_permission,
        user.get_session_auth_hash(),
    )
    cache.set(_ROW.format(_secret_id(), pk), kept, ROW_TIMEOUT)
    return user
