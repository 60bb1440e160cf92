from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticalsConfig(AppConfig):
    name = "practicals"
    verbose_name = _("Practicals")

    def ready(self):
        from courses.competencies import competency_evidence_register

        from . import receivers  # noqa: F401 (connects the signal receivers)
        from .grading.evidence import rubric_evidence

        competency_evidence_register(rubric_evidence)
