from django import template

register = template.Library()


@register.filter
def answer_of(answers: dict, question_id: str):
    """The answer index the trainee had chosen, kept when the form comes back with an error."""
    try:
        return int(answers.get(question_id))
    except (TypeError, ValueError):
        return None
