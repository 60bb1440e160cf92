from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticalsConfig(AppConfig):
    name = "practicals"
    verbose_name = _("Practicals")
