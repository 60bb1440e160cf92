import hashlib
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def answers_for(answers: dict, question_id: str) -> list[str]:
    """The answers the trainee had given, kept when the form comes back with an error."""
    given = answers.get(question_id) if isinstance(answers, dict) else None
    return given if isinstance(given, list) else []


@register.filter
def first_of(values: list[str]) -> str:
    return values[0] if values else ""


@register.filter
def content_key(stream) -> str:
    """A digest of a StreamField's stored content: the key of its rendered fragment, so
    that a published change is a new key (never a stale body)."""
    data = json.dumps(stream.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()


@register.filter
def fragment(fragments: dict, key):
    """`fragments|fragment:step.pk`: the cached HTML pieces of one step (`courses.fragments`)."""
    return fragments.get(key, {}) if isinstance(fragments, dict) else {}
