"""Issued certificates: what they state is copied at issue time and never changes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage


class Certificate(models.Model):
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates")
    # What the certificate states, as it was when issued.
    holder_name = models.CharField(_("holder's name"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    course_hours = models.PositiveSmallIntegerField(_("hours"))
    farm_name = models.CharField(_("issuing farm"), max_length=120, blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    public_id = models.CharField(max_length=32, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=24, unique=True, editable=False)
    language = models.CharField(max_length=8, default="fr")
    pdf = models.FileField(upload_to="certificates/", blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # Idempotent issuing: a task run twice, or two workers, make one certificate.
            models.UniqueConstraint(fields=["holder", "course"], name="certificate_once_per_course")
        ]

    def __str__(self):
        return f"{self.code} — {self.holder_name} — {self.course_title}"

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"public_id": self.public_id})

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.get_absolute_url()
