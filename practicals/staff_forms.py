"""Forms of the farm staff's schedule page: book for a trainee, block time, maintenance.

Times are typed in the farm's time zone: the view validates them under
`timezone.override(farm.tzinfo)`, so the aware datetimes come out right.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Downtime, PracticalPage, Printer


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class StaffBookingForm(forms.Form):
    trainee = forms.EmailField(label=_("Trainee's e-mail address"))
    practical = forms.ModelChoiceField(label=_("Practical"), queryset=PracticalPage.objects.none())
    printer = forms.ModelChoiceField(label=_("Printer"), queryset=Printer.objects.none())
    starts_at = forms.DateTimeField(label=_("Start"), widget=_LocalDateTime())

    def __init__(self, *args, farm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practical"].queryset = PracticalPage.objects.live().order_by("title")
        self.fields["printer"].queryset = farm.printers.all()

    def clean_trainee(self):
        email = self.cleaned_data["trainee"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has this e-mail address."))
        return user


class DowntimeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Downtime.Kind.choices, widget=forms.RadioSelect
    )
    printer = forms.ModelChoiceField(
        label=_("Printer"),
        queryset=Printer.objects.none(),
        required=False,
        empty_label=_("The whole farm (maintenance only)"),
    )
    starts_at = forms.DateTimeField(label=_("From"), widget=_LocalDateTime())
    ends_at = forms.DateTimeField(label=_("Until"), widget=_LocalDateTime())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, farm, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["printer"].queryset = farm.printers.all()
        if kinds is not None:
            self.fields["kind"].choices = [c for c in Downtime.Kind.choices if c[0] in kinds]
            self.fields["kind"].initial = kinds[0]
