"""The public verification page's facts, cached: the same for every visitor.

What a certificate says in public (its status card) is rendered once per language and kept
in the cache under the certificate's status version, so a look-up of a known certificate
costs no query. Any save of the certificate (revoked, replaced, renewed:
`services.versions._certificate_move`, `receivers`) gives it a new status version at
once and again on commit, and the version is read before the row: a card built from the
row as it was before a change is stored under a version already gone. An expiry date
ends the cache entry at that very moment, so a visitor never sees a status that is no
longer true. The whole page is shared the same way (`courses.shared_pages`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from courses.shared_pages import VERSION_SECONDS, version_renew

from .models import Certificate

CACHE_SECONDS = 3600


@dataclass(frozen=True)
class PublicFacts:
    html: str  # the status card, in the current language
    holder_id: int
    state: str  # valid, expired, replaced or revoked
    fresh_seconds: int = CACHE_SECONDS  # how long this card stays true (until an expiry)


def status_version_key(public_id: str) -> str:
    """The cache key of a certificate's status version (`courses.shared_pages`)."""
    return f"certificates:status-version:{public_id}"


def _key(public_id: str, version: str, language: str) -> str:
    return f"certificates:facts:{public_id}:{version}:{language}"


def public_facts(*, public_id: str) -> PublicFacts | None:
    """The card of `public_id` (None when unknown): from the cache, or one query."""
    version = cache.get(status_version_key(public_id))
    if version is None:  # never looked up, or its version expired: start one, then read
        if not Certificate.objects.filter(public_id=public_id).exists():
            return None  # an unknown code leaves nothing behind in the cache
        cache.add(status_version_key(public_id), uuid.uuid4().hex, VERSION_SECONDS)
        version = cache.get(status_version_key(public_id))
    key = _key(public_id, version, get_language() or settings.LANGUAGE_CODE)
    cached = cache.get(key)
    if cached is not None:
        expires_at = cached.pop("expires_at", None)
        facts = PublicFacts(**(cached | {"html": mark_safe(cached["html"])}))
        return _until_expiry(facts, expires_at)
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
    expires_at = None
    if certificate.state == Certificate.Status.VALID and certificate.expires_at:
        expires_at = certificate.expires_at.timestamp()
    facts = _until_expiry(facts, expires_at)
    if facts.fresh_seconds > 0:
        cache.set(
            key,
            asdict(facts) | {"html": str(facts.html), "expires_at": expires_at},
            facts.fresh_seconds,
        )
    return facts


def _until_expiry(facts: PublicFacts, expires_at: float | None) -> PublicFacts:
    """The card with the seconds it stays true: until the expiry of a valid certificate."""
    seconds = CACHE_SECONDS
    if expires_at is not None:
        seconds = max(0, min(seconds, int(expires_at - time.time())))
    return replace(facts, fresh_seconds=seconds)


def public_facts_forget(*, public_id: str) -> None:
    """A new status version: the card and the shared page are built again from the row."""
    version_renew(status_version_key(public_id))
