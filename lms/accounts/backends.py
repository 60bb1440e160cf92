"""Django's and allauth's authentication backends, with fewer queries per request.

Every logged-in page loads the user (the session's), checks whether they are staff (the
second-factor middleware) and reads their permissions (the header's links). Django's
`ModelBackend` spends three queries on that: the user, their own permissions, their
groups' permissions; and the staff check was a fourth. Here:

- the user is loaded with whether they may open the admin (own or group permission),
  in the same query (`_atelier_admin_own`, `_atelier_admin_group`), which is what makes
  them staff for the second factor (`lms.accounts.second_factor.user_is_staff`);
- their permissions, own and groups', are read in one query when first asked for,
  cached on the user object for the request, under the attribute Django's backend uses
  (`_perm_cache`), so `has_perm`, `get_all_permissions` and the template's `perms`
  share it.

Nothing is kept across requests: a role given or taken counts at the next request.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

ADMIN_PERMISSION = {"content_type__app_label": "wagtailadmin", "codename": "access_admin"}


class _FewerQueries:
    def get_user(self, user_id):
        User = get_user_model()  # noqa: N806
        admin = Permission.objects.filter(**ADMIN_PERMISSION)
        own = User.user_permissions.through.objects.filter(
            user_id=OuterRef("pk"), permission__in=admin
        )
        via_group = User.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__permissions__in=admin
        )
        try:
            user = User._default_manager.annotate(
                _atelier_admin_own=Exists(own), _atelier_admin_group=Exists(via_group)
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                User = user_obj._meta.model  # noqa: N806
                own = User.user_permissions.through.objects.filter(user_id=user_obj.pk)
                groups = User.groups.through.objects.filter(user_id=user_obj.pk)
                via_groups = Permission.group_set.through.objects.filter(
                    group_id__in=groups.values("group_id")
                )
                perms = perms.filter(
                    Q(pk__in=own.values("permission_id"))
                    | Q(pk__in=via_groups.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache


class AtelierModelBackend(_FewerQueries, ModelBackend):
    pass


class AtelierAuthenticationBackend(_FewerQueries, AuthenticationBackend):
    """allauth's (log in by e-mail), with the same reads."""
