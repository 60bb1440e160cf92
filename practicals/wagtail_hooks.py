"""Farms and printers in the Wagtail admin, grouped under one menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Farm, Printer


class FarmViewSet(SnippetViewSet):
    model = Farm
    icon = "home"
    list_display = ["name", "timezone", "opening_hour", "closing_hour"]


class PrinterViewSet(SnippetViewSet):
    model = Printer
    icon = "cogs"
    list_display = ["name", "farm", "octoprint_url", "enabled"]
    list_filter = ["farm", "enabled"]


class FarmGroup(SnippetViewSetGroup):
    items = (FarmViewSet, PrinterViewSet)
    menu_icon = "site"
    menu_label = _("Farms")
    menu_name = "farms"


register_snippet(FarmGroup)
