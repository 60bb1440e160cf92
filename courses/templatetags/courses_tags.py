from django import template

register = template.Library()


@register.filter
def answers_for(answers: dict, question_id: str) -> list[str]:
    """The answers the trainee had given, kept when the form comes back with an error."""
    given = answers.get(question_id) if isinstance(answers, dict) else None
    return given if isinstance(given, list) else []


@register.filter
def first_of(values: list[str]) -> str:
    return values[0] if values else ""
