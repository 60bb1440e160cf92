"""`{% once %}` with `{% fresh %}` places (lms/templatetags/once.py): the shared part
rendered once, what is in a fresh place rendered for each request."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError

ENGINE = Engine(libraries={"once": "lms.templatetags.once"})


def test_a_fresh_place_is_rendered_for_each_request_and_the_rest_once():
    template = ENGINE.from_string(
        '{% load once %}{% once "part" lang %}<p>{{ shared }} {% fresh %}{{ token }}{% endfresh %}'
        "{% if member %}<b>{% fresh %}{{ path }}{% endfresh %}</b>{% endif %}</p>{% endonce %}"
    )
    first = template.render(
        Context({"lang": "fr", "shared": "A", "token": "t1", "member": True, "path": "/x"})
    )
    second = template.render(
        Context({"lang": "fr", "shared": "B", "token": "t2", "member": True, "path": "/y"})
    )
    other = template.render(Context({"lang": "en", "shared": "C", "token": "t3", "member": False}))
    assert first == "<p>A t1<b>/x</b></p>"
    assert second == "<p>A t2<b>/y</b></p>"  # kept for "fr"; the fresh places are this request's
    assert other == "<p>C t3</p>"


def test_a_fresh_place_outside_once_renders_as_usual():
    template = ENGINE.from_string("{% load once %}{% fresh %}{{ token }}{% endfresh %}")
    assert template.render(Context({"token": "t"})) == "t"


def test_a_block_inside_once_is_refused():
    with pytest.raises(TemplateSyntaxError):
        ENGINE.from_string('{% load once %}{% once "x" %}{% block a %}{% endblock %}{% endonce %}')
