"""The grading form: one field per rubric criterion, the comment, photos, the bed gate."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ..models import RubricCriterion


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AssessmentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the trainee"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required when the print fails."),
    )
    photos = MultiplePhotoField(
        label=_("Photos of the print"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 40 megapixels each."),
    )
    bed_clear = forms.BooleanField(
        label=_("I removed the print: the bed is clear for the next print."), required=False
    )

    def __init__(self, *args, criteria: list[RubricCriterion], bed_waiting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if not bed_waiting:
            del self.fields["bed_clear"]
        for criterion in criteria:
            name = f"criterion_{criterion.pk}"
            if criterion.kind == RubricCriterion.Kind.LEVELS:
                levels = criterion.level_texts() or ["0", "1"]
                self.fields[name] = forms.TypedChoiceField(
                    label=criterion.label,
                    choices=[(str(i), f"{i} — {text}") for i, text in enumerate(levels)],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.FloatField(
                    label=criterion.label,
                    help_text=_("Nominal %(nominal)s %(unit)s ± %(tolerance)s")
                    % {
                        "nominal": _number(criterion.nominal),
                        "unit": criterion.unit,
                        "tolerance": _number(criterion.tolerance),
                    },
                    widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                    localize=True,
                )
        # The rubric first, then the comment, the photos and the bed.
        order = [f"criterion_{c.pk}" for c in criteria] + ["comment", "photos", "bed_clear"]
        self.order_fields(order)

    def answers(self) -> dict[int, float]:
        return {
            c.pk: self.cleaned_data[f"criterion_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"criterion_{c.pk}") is not None
        }

    def rubric_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]


def _number(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(int(value) if float(value).is_integer() else value)
