"""What renews the versions of the users' cached rows (`user_cache`): any change of a user,
of their groups or own permissions, of a group's permissions, or a group's or a
permission's deletion."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

from .user_cache import user_changed, users_permissions_changed

_AFTER = {"post_add", "post_remove", "post_clear"}


def _user_saved_or_deleted(sender, instance, **kwargs):
    user_changed(instance.pk)


def _users_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's groups or own permissions (from the user's side, or from the group's or the
    permission's: then `pk_set` holds the users, or nothing on a clear)."""
    if action not in _AFTER:
        return
    if not reverse:
        user_changed(instance.pk)
    elif pk_set:
        for pk in pk_set:
            user_changed(pk)
    else:
        users_permissions_changed()


def _everyone_changed(sender, action=None, **kwargs):
    if action is None or action in _AFTER:
        users_permissions_changed()


def connect() -> None:
    User = get_user_model()  # noqa: N806
    for signal in (post_save, post_delete):
        signal.connect(_user_saved_or_deleted, sender=User, dispatch_uid="atelier-user-cache")
        signal.connect(_everyone_changed, sender=Group, dispatch_uid="atelier-user-cache-groups")
        signal.connect(
            _everyone_changed, sender=Permission, dispatch_uid="atelier-user-cache-permissions"
        )
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_users_links_changed, sender=through, dispatch_uid="atelier-user-cache")
    m2m_changed.connect(
        _everyone_changed, sender=Group.permissions.through, dispatch_uid="atelier-user-cache"
    )
