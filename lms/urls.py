"""Root URLs: accounts, app views, the Wagtail admin, then Wagtail's page tree last."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import routing

from . import health, language, views
from .accounts import views as account_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    # The header's language switch (GET; a POST is Django's set_language): lms/language.py.
    path("i18n/setlang/", language.language_set, name="set_language"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", account_views.profile, name="profile"),
    path("courses/", include("courses.urls")),
    path("practicals/", include("practicals.urls")),
    path("", include("certificates.urls")),
    # One login for everyone, allauth's, which asks staff for their second factor: Wagtail's
    # own login form would let a password alone in.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree, its serve view finding the page by url_path in one query
# (courses.routing); the same URL name, so `pageurl` and `Page.url` are unchanged.
urlpatterns += [
    *(p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
