"""The Wagtail admin's user forms, with the legal name under the one name rule."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .names import FullNameField


class LegalNameMixin:
    """One legal name instead of Wagtail's first and last names, which Atelier never prints."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for unused in ("first_name", "last_name"):
            self.fields.pop(unused, None)


class AtelierUserCreationForm(LegalNameMixin, UserCreationForm):
    full_name = FullNameField()

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"full_name"}


class AtelierUserEditForm(LegalNameMixin, UserEditForm):
    full_name = FullNameField()

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"full_name"}


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return AtelierUserEditForm if for_update else AtelierUserCreationForm
