from django import forms
from django.utils.translation import gettext_lazy as _


class BookingForm(forms.Form):
    printer = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(widget=forms.HiddenInput)


class GcodeUploadForm(forms.Form):
    gcode = forms.FileField(
        label=_("Your G-code file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".gcode,.gco,.g"}),
    )


class GradeForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("Passed")), ("0", _("Failed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the trainee"), widget=forms.Textarea, required=False
    )
