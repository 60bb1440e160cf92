"""Site-wide middleware: the language rule, the one place domain errors become responses, and
the pages shared by every visitor without a session, served from memory."""

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from certificates.ratelimit import VERIFY_LIMIT, verify_allowed_and_read
from courses.exceptions import AtelierError
from courses.shared_pages import ATTRIBUTE, SharedPage, versions_read

from .accounts.receivers import LANGUAGE_CHOSEN
from .language import language_cookie_set


class FrenchFirstLocaleMiddleware:
    """French unless the person chose otherwise with the switcher (or, when they sign in,
    on their account: `lms.accounts.receivers`).

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
        chosen_at_login = getattr(request, LANGUAGE_CHOSEN, None)
        if chosen_at_login:
            language = chosen_at_login
            language_cookie_set(response, language)
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


class SharedPageMiddleware:
    """Serve a page that is the same for every visitor without a session from memory.

    A view declares its response shared (`courses.shared_pages.page_shared`) with the cache
    keys of the versions it depends on (the catalogue's, a certificate's status). For a
    visitor with no session and no messages (no cookie but the CSRF and language ones), a
    GET without a query string, this middleware keeps that response per host, path and
    language in the worker's memory, tagged with the versions read *before* the view ran;
    it serves it again while every key still holds that value (one cache round trip, which
    also counts the look-up limit when the page has one) and its lifetime lasts. The
    first request for a URL only learns its keys; the second stores; later ones are served.

    It sits inside the CSRF middleware: the language form's token is taken out of the
    stored page and put back per visitor with `get_token`, so the CSRF cookie and the form
    behave exactly as for a page built for the visitor. The headers set outside it
    (security, CSP, language, CSRF cookie) are set on every response as for any page;
    those set inside it (X-Frame-Options, Content-Type, Vary: Cookie) are stored with
    the page.
    """

    MAX_PAGES = 1000
    _TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
    _PLACEHOLDER = b"\x00csrf-token\x00"

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: OrderedDict[tuple, _StoredPage] = OrderedDict()
        self.lock = threading.Lock()
        self.cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    def __call__(self, request):
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or not request.COOKIES.keys() <= self.cookies
        ):
            return self.get_response(request)
        key = (request.get_host(), request.path, request.LANGUAGE_CODE)
        stored = self.pages.get(key)
        if stored is None:
            response = self.get_response(request)
            self._keep(request, key, response, read=None, expected=())
            return response
        allowed, read = _versions_read(request, stored.shared)
        if (
            allowed
            and stored.body is not None
            and read == stored.read
            and time.time() < stored.shared.until
        ):
            return self._serve(request, stored)
        response = self.get_response(request)
        self._keep(request, key, response, read=read, expected=stored.shared.versions)
        return response

    def _keep(self, request, key, response, *, read, expected) -> None:
        shared = getattr(response, ATTRIBUTE, None)
        if shared is not None:  # the same for everyone *without* a session or messages
            patch_vary_headers(response, ("Cookie",))
        if (
            shared is None
            or response.status_code != 200
            or response.streaming
            or response.cookies  # never store a cookie set for this visitor
            or getattr(getattr(request, "session", None), "modified", False)
        ):
            with self.lock:
                self.pages.pop(key, None)
            return
        body = None
        if read is not None and shared.versions == expected and None not in read:
            body = self._TOKEN.sub(rb"\1" + self._PLACEHOLDER + rb"\2", response.content)
        stored = _StoredPage(
            shared=shared, read=read, body=body, headers=dict(response.headers.items())
        )
        with self.lock:
            self.pages[key] = stored
            self.pages.move_to_end(key)
            while len(self.pages) > self.MAX_PAGES:
                self.pages.popitem(last=False)

    def _serve(self, request, stored):
        body = stored.body
        if self._PLACEHOLDER in body:
            body = body.replace(self._PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body)
        for name, value in stored.headers.items():
            response.headers[name] = value
        return response


@dataclass
class _StoredPage:
    shared: SharedPage
    read: list | None  # the versions' values read before the page was built
    body: bytes | None  # None: only the keys are known yet
    headers: dict


def _versions_read(request, shared: SharedPage) -> tuple[bool, list]:
    """Whether the look-up limit of the page (if any) allows this request, and the values
    of the page's version keys: one round trip. A request over the limit goes to the view,
    which answers 429 without counting it again."""
    if shared.limit == VERIFY_LIMIT:
        return verify_allowed_and_read(request, keys=shared.versions)
    return True, versions_read(shared.versions)
