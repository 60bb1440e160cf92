"""Admin forms of practicals: a printer's OctoPrint API key is write-only; disabling a
printer, or making a farm withdraw its printers due for servicing, hands on their bookings
to come (`practicals.services.maintenance.printer_withdraw_bookings`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import access
from .models import api_key_validator


class PrinterAdminForm(WagtailAdminModelForm):
    """The key is never sent back to the browser; left blank on edit, the stored key stays."""

    api_key = forms.CharField(
        label=_("OctoPrint API key"),
        required=False,
        strip=True,
        validators=[api_key_validator],
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["api_key"]
        self.initial.pop("api_key", None)
        if self.instance.pk:
            field.help_text = _(
                "A key is stored; it is never shown. Leave blank to keep it, or enter a new one."
            )
        else:
            field.required = True
            field.help_text = _("32 or 43 characters, from OctoPrint's Application Keys.")
        if self.for_user is not None and "farm" in self.fields:
            self.fields["farm"].queryset = access.farms_managed_by(user=self.for_user)

    def clean_api_key(self):
        value = self.cleaned_data.get("api_key")
        if not value and self.instance.pk:
            return self.instance.api_key
        return value

    def save(self, commit=True):
        printer = super().save(commit=commit)
        if commit and "enabled" in self.changed_data and not printer.enabled:
            from .services.maintenance import Withdrawal, printer_withdraw_bookings

            printer_withdraw_bookings(printer=printer, cause=Withdrawal.DISABLED, by=self.for_user)
        return printer


class FarmAdminForm(WagtailAdminModelForm):
    def save(self, commit=True):
        farm = super().save(commit=commit)
        if commit and "withdraw_when_service_due" in self.changed_data:
            from .services.maintenance import Withdrawal, printer_withdraw_bookings

            if farm.withdraw_when_service_due:
                for printer in farm.printers.filter(service_due_since__isnull=False):
                    printer_withdraw_bookings(
                        printer=printer, cause=Withdrawal.SERVICE_DUE, by=self.for_user
                    )
        return farm
