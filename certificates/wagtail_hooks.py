"""Certificate templates in the Wagtail admin: wording, look, signatories, validity, preview."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    menu_name = "certificate-templates"
    add_to_admin_menu = True
    list_display = ["course", "validity_months", "renewal"]


register_snippet(CertificateTemplateViewSet)
