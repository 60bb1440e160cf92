"""The Django "site" (name and domain) that allauth's e-mails speak of.

Django creates it as "example.com"; Atelier names it after itself and SITE_URL, after
every `migrate`.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_ensure(**kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Atelier"}
    )
