"""A lesson's navigation, title and body rendered once per version of its course and
language: the same for everyone (`{% lessonbody %}` in `lesson_page.html`).

The key is the course's outline version (`courses.outline`): any save, publish, move or
deletion of a page in the course gives a new one (`courses.receivers`), so a publish is
never followed by the old lesson, nor by an old title of the course or of the previous
step. The version is read before the lesson's row (routing reads it first), so a
fragment rendered while a publish commits is stored under the version the publish
replaces, and never read again. The HTML is kept in the shared cache and in this process
(bounded), so that routing can leave the body out of the lesson's query when this
process holds its HTML already (`body_rendered_here`). A preview (a draft) is rendered
every time and never stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import get_language

TIMEOUT = 24 * 3600
_KEY = "lesson-html:{}:{}:{}"  # lesson id, course outline version, language
_in_process: dict[str, str] = {}
_IN_PROCESS_MAX = 256


def content_key(stream) -> str:
    """A digest of a StreamField's stored content: a published change is a new key."""
    data = json.dumps(stream.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


def body_rendered_here(*, pk: int, version: str, language: str) -> bool:
    return _KEY.format(pk, version, language) in _in_process


def body_html(*, page, request, render: Callable[[], str]) -> str:
    """The fragment's HTML: from this process, the shared cache, or `render()` (stored)."""
    if getattr(request, "is_preview", False):
        return render()
    outline = page.course_outline()
    if outline is None or not outline.version:
        return render()
    key = _KEY.format(page.pk, outline.version, get_language())
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
