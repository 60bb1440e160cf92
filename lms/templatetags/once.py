"""`{% once "name" value … %}…{% endonce %}`: a part of a template that is the same for
everyone, rendered once per process for each combination of the values named (the
language, a role's flags) and then reused.

For what depends only on the code and its translations: links from `{% url %}`,
`{% static %}`, `{% translate %}` texts. Never anything personal, a CSRF token, the
request's path or anything read from the database: those stay outside the block. A new
deployment is a new process, so changed templates or translations are seen at once.
"""

from django import template

register = template.Library()


class OnceNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on
        self.rendered: dict[tuple, str] = {}  # per compiled template (the cached loader's)

    def render(self, context):
        key = tuple(value.resolve(context) for value in self.vary_on)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = self.nodelist.render(context)
        return html


@register.tag
def once(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% once "name" value … %}')
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
