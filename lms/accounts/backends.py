"""Django's and allauth's authentication backends, with fewer queries per request.

Every logged-in page loads the user (the session's), checks whether they are staff (the
second-factor middleware) and reads their permissions (the header's links). Django's
`ModelBackend` spends three queries on that: the user, their own permissions, their
groups' permissions; and the staff check was a fourth. Here:

- the user is loaded with whether they may open the admin (own or group permission),
  in the same query (`_atelier_admin`), which is what makes
  them staff for the second factor (`lms.accounts.second_factor.user_is_staff`);
- whether they have any permission at all, in the same query: a trainee has none, so
  their permissions are known without reading them;
- otherwise their permissions, own and groups', are read in one query when first asked for,
  cached on the user object for the request, under the attribute Django's backend uses
  (`_perm_cache`), so `has_perm`, `get_all_permissions` and the template's `perms`
  share it.

For the request's own user, the row and both flags are kept in the shared cache under
versions that any change of the user, their groups or permissions renews
(`user_cache`): a role given or taken, a password changed, an account deactivated counts
at the next request. Permissions themselves are never kept across requests. The
query's SQL is compiled once per process (`courses.precompiled`): building it through the
ORM cost more than running it.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from . import user_cache


def _has_any_permission_sql() -> str:
    """EXISTS: the user has some permission, their own or through a group (a trainee has
    none: their permissions are then known without reading them)."""
    from django.contrib.auth.models import Group

    User = get_user_model()  # noqa: N806
    own = User.user_permissions.through._meta.db_table
    groups = User.groups.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    user = User._meta.db_table
    return (
        f"(EXISTS (SELECT 1 FROM {own} WHERE user_id = {user}.id)"
        f" OR EXISTS (SELECT 1 FROM {group_perms} gp JOIN {groups} ug"
        f" ON ug.group_id = gp.group_id WHERE ug.user_id = {user}.id))"
    )


def _may_open_the_admin_sql() -> str:
    """EXISTS: the user has the admin's permission, their own or through a group. Raw
    SQL, built once: the same with Exists() subqueries cost more to build than to run."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    User = get_user_model()  # noqa: N806
    own = User.user_permissions.through._meta.db_table
    groups = User.groups.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    perm, ct, user = Permission._meta.db_table, ContentType._meta.db_table, User._meta.db_table
    return (
        f"EXISTS (SELECT 1 FROM {perm} p JOIN {ct} c ON c.id = p.content_type_id"
        f" WHERE c.app_label = 'wagtailadmin' AND p.codename = 'access_admin' AND ("
        f"p.id IN (SELECT permission_id FROM {own} WHERE user_id = {user}.id)"
        f" OR p.id IN (SELECT gp.permission_id FROM {group_perms} gp"
        f" JOIN {groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = {user}.id)))"
    )


def _user_query(pk):
    User = get_user_model()  # noqa: N806
    return User._default_manager.annotate(
        _atelier_admin=RawSQL(_may_open_the_admin_sql(), (), output_field=BooleanField()),
        _atelier_any_permission=RawSQL(_has_any_permission_sql(), (), output_field=BooleanField()),
    ).filter(pk=pk)


def _row(pk):
    users = _FewerQueries._query.rows(pk)
    return users[0] if users else None


class _FewerQueries:
    _query = None

    def get_user(self, user_id):
        from courses.precompiled import Precompiled

        User = get_user_model()  # noqa: N806
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        if _FewerQueries._query is None:
            _FewerQueries._query = Precompiled(_user_query)
        # The request's user: through the cache, with the values the middleware read.
        values = user_cache.prefetched.get()
        user = _row(pk) if values is None else user_cache.user_get(pk, values=values, load=_row)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if not user_obj.is_superuser and getattr(user_obj, "_atelier_any_permission", 1) == 0:
                user_obj._perm_cache = set()  # known from the user's own query
                return user_obj._perm_cache
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
