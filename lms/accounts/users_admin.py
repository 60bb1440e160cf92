"""Wagtail's user admin app, with Atelier's user forms (the legal name under the name rule).

Listed in INSTALLED_APPS in place of "wagtail.users".
"""

from wagtail.users.apps import WagtailUsersAppConfig


class AtelierUsersConfig(WagtailUsersAppConfig):
    user_viewset = "lms.accounts.admin_forms.UserViewSet"
