"""Per-step HTML that is the same for everyone, cached per outline version and language.

On the course page each step shows its title (a link for an enrolled trainee, plain
text otherwise) and its kind; those parts depend only on the course's structure, so
they are rendered once per version of the course (`courses.outline`) and language, in
one cache entry for the whole course. Anything about a trainee (status, lock, progress)
is rendered per request around them and never stored here.
"""

from django.core.cache import cache
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language

from .outline import TIMEOUT, Outline

_KEY = "course-step-html:{}:{}:{}"


def _render(step) -> dict[str, str]:
    kind = capfirst(step.specific_class._meta.verbose_name) if step.specific_class else ""
    return {
        "link": format_html('<a href="{}">{}</a>', step.outline_url or "", step.title),
        "text": format_html("<span>{}</span>", step.title),
        "kind": format_html('<span class="step-kind">{}</span>', kind),
    }


def step_fragments(*, outline: Outline) -> dict[int, dict[str, str]]:
    """step id -> {"link", "text", "kind"} HTML for every step of `outline` (one cache get)."""
    key = _KEY.format(outline.course_id, outline.version, get_language())
    fragments = cache.get(key)
    if fragments is None:
        fragments = {step.pk: _render(step) for step in outline.steps}
        cache.set(key, fragments, TIMEOUT)
    return fragments
