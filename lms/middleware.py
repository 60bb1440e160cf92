"""Site-wide middleware: the language rule and the one place domain errors become responses."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from courses.exceptions import AtelierError


class FrenchFirstLocaleMiddleware:
    """French unless the person chose otherwise with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; Atelier serves
    a French network, so the browser's language is not a choice the person made.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AtelierErrorMiddleware:
    """Turn a domain error raised by any view into its status and a translated message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AtelierError):
            return None
        return render(
            request, "error.html", {"message": exception.message}, status=exception.status
        )
