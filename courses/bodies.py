"""A lesson's body rendered once per content and language, the same for everyone.

A routed lesson (`courses.routing`) keys its body by the course's outline version: any
save, publish or move of a page in the course gives a new version (`courses.receivers`),
so a publish is never followed by the old body. The version is read before the lesson's
row, so a body rendered while a publish commits is stored under the version the publish
replaces, and never read again. The rendered HTML is kept in the shared cache and in
this process (bounded), so that routing can leave the body out of the lesson's query
when this process already holds its HTML (`body_rendered_here`).

A lesson not routed that way (Wagtail's own routing, a preview of a draft) keys its body
by a digest of the stored content itself: a draft can never be stored under the key of
the live page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import get_language

TIMEOUT = 24 * 3600
_KEY = "lesson-body:{}:{}:{}"  # lesson id, course outline version, language
_CONTENT_KEY = "lesson-body-content:{}:{}:{}"  # lesson id, digest of the body, language
_in_process: dict[str, str] = {}
_IN_PROCESS_MAX = 256


def content_key(stream) -> str:
    """A digest of a StreamField's stored content: a published change is a new key."""
    data = json.dumps(stream.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


def body_rendered_here(*, pk: int, version: str, language: str) -> bool:
    return _KEY.format(pk, version, language) in _in_process


def body_html(*, page, request, render: Callable[[], str]) -> str:
    """The body's HTML: from this process, the shared cache, or `render()` (stored)."""
    language = get_language()
    outline = getattr(page, "_outline", None)
    if outline is None or not outline.version or getattr(request, "is_preview", False):
        key = _CONTENT_KEY.format(page.pk, content_key(page.body), language)
        html = cache.get(key)
        if html is None:
            html = render()
            cache.set(key, html, TIMEOUT)
        return html
    key = _KEY.format(page.pk, outline.version, language)
    html = _in_process.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = render()  # reads the body (one query when routing left it out)
            cache.set(key, html, TIMEOUT)
        if len(_in_process) >= _IN_PROCESS_MAX:
            _in_process.clear()
        _in_process[key] = html
    return html
