"""Farms, printers, materials and bookings in the Wagtail admin, under one « Farms » menu.

Every screen is scoped on the server: a farm manager lists, opens and changes only the
farms they manage and those farms' printers and bookings (`practicals.access`); anything
else answers 404, as if it did not exist. Superusers see everything.
"""

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import access
from .admin_forms import FarmAdminForm, PrinterAdminForm
from .cohorts.admin import cohort_viewset_class
from .models import Booking, Farm, Material, Printer
from .services.printers import printer_connection_test


class _Scoped:
    """Views that open one object answer 404 for an object outside the user's farms."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class _ScopedChoices:
    """Chooser views (the modal other forms open) list and return only in-scope objects."""

    def get_object_list(self):
        return self.scope(self.request.user).order_by(*self.model_class._meta.ordering)

    def get_object(self, pk):
        return self.scope(self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return self.scope(self.request.user).filter(pk__in=pks)


def scoped(scope):
    """Class decorator: every view of the viewset, its chooser included, sees only `scope`."""

    def decorate(viewset):
        attrs = {"scope": staticmethod(lambda user: scope(user=user))}
        mixin = type("Scoped", (_Scoped,), attrs)
        for name in ("edit", "delete", "usage", "history", "inspect", "copy"):
            attribute = f"{name}_view_class"
            base = getattr(viewset, attribute)
            setattr(viewset, attribute, type(f"Scoped{base.__name__}", (mixin, base), {}))
        viewset.get_queryset = lambda self, request: scope(user=request.user)

        choices = type("ScopedChoices", (_ScopedChoices,), attrs)
        chooser = viewset.chooser_viewset_class
        viewset.chooser_viewset_class = type(
            f"Scoped{chooser.__name__}",
            (chooser,),
            {
                f"{name}_view_class": type(
                    f"Scoped{getattr(chooser, name + '_view_class').__name__}",
                    (choices, getattr(chooser, name + "_view_class")),
                    {},
                )
                for name in ("choose", "choose_results", "chosen", "chosen_multiple")
            },
        )
        return viewset

    return decorate


def _my_farms(request):
    return access.farms_managed_by(user=request.user)


class PrinterFilterSet(WagtailFilterSet):
    farm = django_filters.ModelChoiceFilter(label=_("farm"), queryset=_my_farms)

    class Meta:
        model = Printer
        fields = ["farm", "enabled"]


class BookingFilterSet(WagtailFilterSet):
    farm = django_filters.ModelChoiceFilter(
        label=_("farm"), field_name="printer__farm", queryset=_my_farms
    )

    class Meta:
        model = Booking
        fields = ["status", "farm"]


@scoped(access.farms_managed_by)
class FarmViewSet(SnippetViewSet):
    model = Farm
    icon = "home"
    list_display = ["name", "timezone"]
    edit_handler = ObjectList(Farm.panels, base_form_class=FarmAdminForm)


@scoped(access.printers_managed_by)
class PrinterViewSet(SnippetViewSet):
    model = Printer
    icon = "cogs"
    list_display = ["name", "farm", "model_name", "material", "enabled", "service_state"]
    filterset_class = PrinterFilterSet
    edit_handler = ObjectList(
        [
            FieldPanel("farm"),
            FieldPanel("name"),
            FieldPanel("model_name"),
            MultiFieldPanel(
                [FieldPanel("octoprint_url"), FieldPanel("api_key")], heading=_("OctoPrint")
            ),
            FieldRowPanel([FieldPanel("build_x"), FieldPanel("build_y"), FieldPanel("build_z")]),
            FieldRowPanel([FieldPanel("nozzle_diameter"), FieldPanel("material")]),
            FieldPanel("enabled"),
            FieldRowPanel(
                [FieldPanel("service_after_print_hours"), FieldPanel("service_after_failures")],
                heading=_("Maintenance"),
            ),
        ],
        base_form_class=PrinterAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("test/<int:pk>/", self.connection_test_view, name="connection_test"),
        ]

    def connection_test_view(self, request, pk):
        policy = self.permission_policy
        if not policy.user_has_permission(request.user, "change"):
            raise Http404
        printer = get_object_or_404(access.printers_managed_by(user=request.user), pk=pk)
        result = printer_connection_test(printer=printer)
        return TemplateResponse(
            request,
            "practicals/admin/printer_connection_test.html",
            {
                "printer": printer,
                "result": result,
                "edit_url": reverse(self.get_url_name("edit"), args=[printer.pk]),
                "index_url": reverse(self.get_url_name("list")),
            },
        )


class MaterialViewSet(SnippetViewSet):
    model = Material
    icon = "tag"
    list_display = ["name", "aliases", "nozzle_min", "nozzle_max", "bed_min", "bed_max"]


class _ReadOnlyPolicy(ModelPermissionPolicy):
    """Bookings change only through practicals.services.booking, never by an admin form."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Booking, _ReadOnlyPolicy(Booking))


@scoped(access.bookings_managed_by)
class BookingViewSet(SnippetViewSet):
    model = Booking
    icon = "date"
    list_display = ["starts_at", "ends_at", "printer", "trainee", "practical", "status"]
    filterset_class = BookingFilterSet
    inspect_view_enabled = True
    inspect_view_fields = ["printer", "trainee", "practical", "starts_at", "ends_at", "status"]


class FarmGroup(SnippetViewSetGroup):
    items = (FarmViewSet, PrinterViewSet, BookingViewSet, MaterialViewSet)
    menu_icon = "site"
    menu_label = _("Farms")
    menu_name = "farms"


register_snippet(FarmGroup)


@hooks.register("register_snippet_listing_buttons")
def printer_connection_test_button(snippet, user, next_url=None):
    if isinstance(
        snippet, Printer
    ) and Printer.snippet_viewset.permission_policy.user_has_permission(user, "change"):
        yield ListingButton(
            _("Test connection"),
            reverse(Printer.snippet_viewset.get_url_name("connection_test"), args=[snippet.pk]),
            icon_name="link",
            priority=5,
        )


@hooks.register("register_snippet_listing_buttons")
def farm_board_button(snippet, user, next_url=None):
    if isinstance(snippet, Farm):  # the listing shows only the user's own farms
        yield ListingButton(
            _("Printer board"),
            reverse("practicals:farm_board", args=[snippet.pk]),
            icon_name="view",
            priority=5,
        )


register_snippet(cohort_viewset_class(scoped))


@hooks.register("register_snippet_listing_buttons")
def farm_schedule_buttons(snippet, user, next_url=None):
    """The staff's schedule page (bookings, blocked time, maintenance) from the admin lists:
    « Planning » on a farm, « Marquer entretenue » on a printer due for maintenance."""
    if isinstance(snippet, Farm):
        yield ListingButton(
            _("Schedule"),
            reverse("practicals:farm_schedule", args=[snippet.pk]),
            icon_name="date",
            priority=6,
        )
    elif isinstance(snippet, Printer) and snippet.service_due_since is not None:
        yield ListingButton(
            _("Mark serviced"),
            reverse("practicals:farm_schedule", args=[snippet.farm_id]),
            icon_name="warning",
            priority=6,
        )
