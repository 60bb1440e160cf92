"""A bare Django view from the same virtualenv: the yardstick every page is compared to.

No database, no middleware, no template: `gunicorn bench.bare:application`.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-view",  # noqa: S106 (serves no secret)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
)


def bare(request):
    return HttpResponse("bare Django view")


urlpatterns = [path("", bare)]
application = get_wsgi_application()
