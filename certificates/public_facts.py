"""The public verification page's facts, cached: the same for every visitor.

What a certificate says in public (its status card) is rendered once per language and kept
in the cache, so a look-up of a known certificate costs no query. A change of status
(revoked, replaced: `services.versions._certificate_move`) forgets it once committed, and
an expiry date ends the cache entry at that very moment, so a visitor never sees a status
that is no longer true.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .models import Certificate

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class PublicFacts:
    html: str  # the status card, in the current language
    holder_id: int
    state: str  # valid, expired, replaced or revoked


def _key(public_id: str, language: str) -> str:
    return f"certificates:facts:{public_id}:{language}"


def public_facts(*, public_id: str) -> PublicFacts | None:
    """The card of `public_id` (None when unknown): from the cache, or one query."""
    key = _key(public_id, get_language() or settings.LANGUAGE_CODE)
    cached = cache.get(key)
    if cached is not None:
        return PublicFacts(**(cached | {"html": mark_safe(cached["html"])}))
    certificate = (
        Certificate.objects.select_related("replaced_by").filter(public_id=public_id).first()
    )
    if certificate is None:
        return None
    facts = PublicFacts(
        # Our own template's output, escaped when it was rendered.
        html=mark_safe(
            render_to_string("certificates/_verify_facts.html", {"certificate": certificate})
        ),
        holder_id=certificate.holder_id,
        state=certificate.state,
    )
    timeout = CACHE_SECONDS
    if certificate.state == Certificate.Status.VALID and certificate.expires_at:
        until_expiry = (certificate.expires_at - timezone.now()).total_seconds()
        timeout = max(1, min(timeout, int(until_expiry)))
    cache.set(key, asdict(facts) | {"html": str(facts.html)}, timeout)
    return facts


def public_facts_forget(*, public_id: str) -> None:
    cache.delete_many([_key(public_id, language) for language, _ in settings.LANGUAGES])
