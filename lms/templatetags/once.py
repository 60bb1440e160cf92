"""`{% once "name" value … %}…{% endonce %}`: a part of a template that is the same for
everyone, rendered once per process for each combination of the values named (the
language, a role's flags, a page's id and the visitor's state on it) and then reused.

For what depends only on the code, its translations and the values named: links from
`{% url %}`, `{% static %}`, `{% translate %}` texts. Never anything personal, a CSRF
token, the request's path or anything read from the database that is not among the
values named, unless inside `{% fresh %}…{% endfresh %}`:
what a `fresh` part holds is rendered again for every request (a CSRF token, the path),
in its place, and nothing of it is kept. A new deployment is a new process, so changed
templates or translations are seen at once. A `fresh` place must sit in the `once`
part's own template (an `{% include %}` inside renders it as a kept text).

A `once` part is opaque to `{% extends %}` (its nodes are not searched for blocks, which
the parent template's every render did): a `{% block %}` inside one is refused.
"""

from django import template
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString

register = template.Library()

MAX_KEPT = 4096  # renderings kept per `once` part (one per key: language, role, page…)

_HOLES = "once-holes"  # the `fresh` parts met while a `once` part is first rendered
_MARK = "\x00once-fresh\x00"  # stands for a `fresh` part in the text kept; never in a template


class FreshNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        holes = context.render_context.get(_HOLES)
        if holes is None:  # outside a `once` part being kept: an ordinary render
            return self.nodelist.render(context)
        holes.append(self)
        return _MARK


class OnceNode(template.Node):
    child_nodelists = ()  # opaque to `get_nodes_by_type` (see the module's docstring)

    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on
        # Per compiled template (the cached loader's): key -> (texts, fresh parts between).
        self.rendered: dict[tuple, tuple[list[str], list[FreshNode]]] = {}

    def render(self, context):
        key = tuple(value.resolve(context) for value in self.vary_on)
        kept = self.rendered.get(key)
        if kept is None:
            if len(self.rendered) >= MAX_KEPT:  # a part keyed by a page: bounded
                self.rendered.clear()
            holes: list[FreshNode] = []
            with context.render_context.push(**{_HOLES: holes}):
                html = self.nodelist.render(context)
            kept = self.rendered[key] = (html.split(_MARK), holes)
        texts, holes = kept
        if not holes:
            return SafeString(texts[0])
        parts = [texts[0]]
        for hole, text in zip(holes, texts[1:], strict=True):
            parts.append(hole.render(context))
            parts.append(text)
        return SafeString("".join(parts))


@register.tag
def once(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% once "name" value … %}')
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% once %} cannot hold a {% block %}")
    return OnceNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


@register.tag
def fresh(parser, token):
    """`{% fresh %}…{% endfresh %}` inside a `once` part: rendered for every request."""
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)


@register.filter
def menu_roles(user):
    """The permissions the menu shows, as one value for `{% once %}`'s key: known without
    asking the backends for a user who has no permission at all (a trainee, known from
    the user's own query, `lms.accounts.backends`)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if (
        user.is_active
        and not user.is_superuser
        and getattr(user, "_atelier_any_permission", 1) == 0
    ):
        return (False, False, False)
    return (
        user.has_perm("practicals.grade_printattempt"),
        user.has_perm("practicals.view_printattempt"),
        user.has_perm("wagtailadmin.access_admin"),
    )
