"""The competency library and the topics in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Competency, Topic


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "success"
    menu_label = _("Competencies")
    menu_name = "competencies"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]


register_snippet(CompetencyViewSet)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_name = "topics"
    add_to_admin_menu = True
    menu_order = 251
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(TopicViewSet)
