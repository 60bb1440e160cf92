"""Cohorts in the Wagtail admin, authored by the managers and instructors of their farm.

Registered from `practicals.wagtail_hooks`; scoped on the server like every farm screen
(`practicals.wagtail_hooks.scoped`): a cohort of another farm answers 404, and the farm
field offers only the farms the user staffs.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from ..access import farms_staffed_by
from ..models import Cohort
from .selectors import cohorts_administered_by
from .services import cohort_enrol, cohort_prerequisites_refusal


class CohortAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "farm" in self.fields:
            self.fields["farm"].queryset = farms_staffed_by(user=for_user)

    def clean(self):
        cleaned = super().clean()
        farm = cleaned.get("farm")
        staffed = farms_staffed_by(user=self.for_user) if self.for_user else None
        if farm is not None and staffed is not None and not staffed.filter(pk=farm.pk).exists():
            raise forms.ValidationError(_("You do not staff this farm."))
        courses = [c for c in cleaned.get("courses") or [] if c.live]
        refused = [
            _("%(email)s %(reason)s.") % {"email": trainee.email, "reason": reason}
            for trainee in cleaned.get("trainees") or []
            if (reason := cohort_prerequisites_refusal(courses=courses, user=trainee))
        ]
        if refused:
            self.add_error("trainees", refused)
        return cleaned

    def save(self, commit=True):
        # The trainees named here are enrolled like invited ones: through the one service.
        cohort = super().save(commit=commit)
        if commit:
            for trainee in cohort.trainees.all():
                cohort_enrol(cohort=cohort, user=trainee)
        return cohort


def cohort_viewset_class(scoped):
    @scoped(cohorts_administered_by)
    class CohortViewSet(SnippetViewSet):
        model = Cohort
        icon = "group"
        menu_label = _("Cohorts")
        add_to_admin_menu = True
        list_display = ["name", "farm", "starts_on", "ends_on"]
        edit_handler = ObjectList(
            [
                FieldPanel("name"),
                FieldPanel("farm"),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
                FieldPanel("instructors"),
                FieldPanel("trainees"),
            ],
            base_form_class=CohortAdminForm,
        )

    return CohortViewSet
