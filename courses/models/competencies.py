"""The shared library of competencies, and which of them a course certifies.

A competency spans courses: certificates will print it, employers will search it. A
course names those it certifies, each with its mastery rule (`CourseCompetency`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index


class Competency(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("A short stable identifier.")
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CourseCompetency(Orderable):
    """A competency a course certifies, and the rule that says it is mastered."""

    course = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certified_competencies"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="course_links"
    )
    quiz_threshold = models.PositiveSmallIntegerField(
        _("questions answered right (%)"),
        default=80,
        help_text=_(
            "Share of the course's questions tagged with this competency that must be "
            "answered right in passed attempts."
        ),
    )

    panels = [FieldPanel("competency"), FieldPanel("quiz_threshold")]

    class Meta(Orderable.Meta):
        verbose_name = _("certified competency")
        verbose_name_plural = _("certified competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "competency"], name="course_certifies_competency_once"
            ),
            models.CheckConstraint(
                condition=models.Q(quiz_threshold__lte=100), name="quiz_threshold_at_most_100"
            ),
        ]
