import hashlib
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def answer_of(answers: dict, question_id: str):
    """The answer index the trainee had chosen, kept when the form comes back with an error."""
    try:
        return int(answers.get(question_id))
    except (TypeError, ValueError):
        return None


@register.filter
def content_key(stream) -> str:
    """A digest of a StreamField's stored content: the key of its rendered fragment, so
    that a published change is a new key (never a stale body)."""
    data = json.dumps(stream.get_prep_value(), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.blake2b(data.encode(), digest_size=16).hexdigest()
