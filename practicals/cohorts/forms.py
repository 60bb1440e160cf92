from django import forms
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (columns: full name, e-mail)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
