"""Certificates as versions, each with an audit trail of who did what, when and why.

A `Certificate` row is one version: what it states is copied when it is issued and never
changes. A new legal name or a renewal makes a new version and the old one says it was
replaced; a revocation keeps the row and records why. Only `certificates.services`
changes a certificate's status (see `TRANSITIONS` there), writing a `CertificateEvent`
each time.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin

from courses.models import CoursePage

colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour is written #RRGGBB, e.g. #1d2b44."))


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """A course's certificate: its wording, look and signatories, validity and renewal.

    Staff edit it in the Wagtail admin (a snippet, with a preview of the PDF). Empty
    fields fall back to Atelier's default wording and colours.
    """

    class Renewal(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatically, for another period, when it expires")
        BY_HAND = "by_hand", _("By an instructor, who gives a reason")

    course = models.OneToOneField(
        CoursePage, on_delete=models.CASCADE, related_name="certificate_template"
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity in months"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate that never expires."),
    )
    renewal = models.CharField(
        _("renewal"), max_length=16, choices=Renewal.choices, default=Renewal.AUTOMATIC
    )
    title_fr = models.CharField(_("title in French"), max_length=80, blank=True)
    title_en = models.CharField(_("title in English"), max_length=80, blank=True)
    text_fr = models.CharField(_("text in French"), max_length=200, blank=True)
    text_en = models.CharField(_("text in English"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    ink_colour = models.CharField(
        _("text colour"), max_length=7, default="#1d2b44", validators=[colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#a8864a", validators=[colour]
    )

    panels = [
        FieldPanel("course"),
        MultiFieldPanel(
            [FieldPanel("title_fr"), FieldPanel("title_en"), FieldPanel("text_fr")]
            + [FieldPanel("text_en")],
            heading=_("Wording (empty: Atelier's default)"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("ink_colour"), FieldPanel("accent_colour")],
            heading=_("Look"),
        ),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
        MultiFieldPanel(
            [FieldPanel("validity_months"), FieldPanel("renewal")], heading=_("Validity")
        ),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return str(self.course)

    def serve_preview(self, request, mode_name):
        """The PDF a trainee would get today, for a sample holder, in the editor's language."""
        from django.http import HttpResponse
        from django.utils import translation

        from .pdf import certificate_pdf_sample

        language = translation.get_language() or settings.LANGUAGE_CODE
        pdf = certificate_pdf_sample(template=self, language=language[:2])
        return HttpResponse(pdf, content_type="application/pdf")


class Signatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", _("Revoked")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="certificates")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # What the certificate states, as it was when issued.
    holder_name = models.CharField(_("holder's name"), max_length=150)
    course_title = models.CharField(_("course"), max_length=255)
    course_hours = models.PositiveSmallIntegerField(_("hours"))
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
    farm_name = models.CharField(_("issuing farm"), max_length=120, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    public_id = models.CharField(max_length=32, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=24, unique=True, editable=False)
    language = models.CharField(max_length=8, default="fr")
    pdf = models.FileField(upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # The same version in the other language, made the first time the holder asks for it.
    pdf_other = models.FileField(upload_to="certificates/", blank=True)
    pdf_other_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Where it stands today (expiry is read from expires_at, see `state`).
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set once the holder's e-mail has gone out; the sweep resends those still empty.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("issue_certificate", _("Can issue a certificate by hand")),
            ("revoke_certificate", _("Can revoke or renew a certificate")),
        ]
        constraints = [
            # Idempotent issuing: a task run twice, or two workers, make one current version.
            models.UniqueConstraint(
                fields=["holder", "course"],
                condition=Q(status="valid"),
                name="certificate_one_valid_per_course",
            ),
            models.UniqueConstraint(
                fields=["holder", "course", "version"], name="certificate_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.holder_name} — {self.course_title}"

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"public_id": self.public_id})

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.get_absolute_url()

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """What the certificate is worth today: valid, expired, replaced or revoked."""
        if self.status == self.Status.VALID and self.is_expired:
            return "expired"
        return self.status


class CertificateEvent(models.Model):
    """One line of the audit trail: what happened to a certificate, who did it, and why."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ISSUED_BY_HAND = "issued_by_hand", _("Issued by hand")
        RENEWED = "renewed", _("Renewed")
        NEW_NAME = "new_name", _("New version for a new legal name")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")
        NOTIFIED = "notified", _("Holder notified")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    # Empty for what Atelier did by itself (a worker, the sweep).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
