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


@register.filter
def content_key(stream) -> str:
    """A digest of a StreamField's stored content: the key of its rendered fragment, so
    that a published change is a new key (never a stale body)."""
    from ..bodies import content_key as digest

    return digest(stream)


class _BodyNode(template.Node):
    def __init__(self, nodelist, page):
        self.nodelist, self.page = nodelist, page

    def render(self, context):
        from ..bodies import body_html

        page = self.page.resolve(context)
        return body_html(
            page=page, request=context.get("request"), render=lambda: self.nodelist.render(context)
        )


@register.tag
def lessonbody(parser, token):
    """`{% lessonbody page %}…{% endlessonbody %}`: the body's HTML rendered once per
    content and language (`courses.bodies`); nothing personal may go inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% lessonbody page %}")
    nodelist = parser.parse(("endlessonbody",))
    parser.delete_first_token()
    return _BodyNode(nodelist, parser.compile_filter(bits[1]))


@register.filter
def fragment(fragments: dict, key):
    """`fragments|fragment:step.pk`: the cached HTML pieces of one step (`courses.fragments`)."""
    return fragments.get(key, {}) if isinstance(fragments, dict) else {}
