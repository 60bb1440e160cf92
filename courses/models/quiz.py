"""The quiz page (settings and question bank) and the trainee's attempts at it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from ..blocks import QuizStreamBlock
from .pages import CourseStepPage


class QuizPage(CourseStepPage):
    class Review(models.TextChoices):
        SCORE = "score", _("The score only")
        WRONG = "wrong", _("Which questions were wrong, with the trainee's answers")
        FEEDBACK = "feedback", _("… and the feedback of each answer given")
        CORRECT = "correct", _("… and the right answers")

    intro = RichTextField(blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=10)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("Score needed to pass, in percent.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 for no limit.")
    )
    wait_minutes = models.PositiveIntegerField(
        _("waiting time between attempts (minutes)"), default=0
    )
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        default=0,
        help_text=_("0 asks every question; otherwise this many are drawn from the bank."),
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    shuffle_answers = models.BooleanField(_("shuffle the answers"), default=True)
    review = models.CharField(
        _("after submitting, the trainee sees"),
        max_length=10,
        choices=Review.choices,
        default=Review.FEEDBACK,
    )
    questions = StreamField(QuizStreamBlock(), blank=True, verbose_name=_("question bank"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("estimated_minutes")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("wait_minutes")]),
                FieldRowPanel([FieldPanel("draw_count"), FieldPanel("review")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_answers")]),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = _("quiz")

    @classmethod
    def steps_done(cls, *, user, page_ids):
        return set(
            QuizAttempt.objects.filter(user=user, quiz_id__in=page_ids, passed=True).values_list(
                "quiz_id", flat=True
            )
        )

    @classmethod
    def status_rows(cls, *, user_id, page_ids):
        return (
            QuizAttempt.objects.filter(user_id=user_id, quiz_id__in=page_ids)
            .order_by()
            .values_list("quiz_id", "pk", "status", "passed", "started_at")
        )

    @classmethod
    def status_read(cls, rows):
        """Passed when any attempt passed; failed when the last one submitted failed;
        in progress while an attempt is open."""
        found: dict[int, str] = {}
        for quiz_id, _pk, status, passed, _started_at in sorted(rows, key=lambda r: (r[4], r[1])):
            if found.get(quiz_id) == "passed":
                continue
            if passed:
                found[quiz_id] = "passed"
            elif status == QuizAttempt.Status.STARTED:
                found[quiz_id] = "in_progress"
            else:
                found[quiz_id] = "failed"
        return found

    def serve(self, request, *args, **kwargs):
        # Starting and submitting are posted to the quiz's own URL so that a form with an
        # error comes back at the same place, with the trainee's answers kept.
        if request.method == "POST" and request.user.is_authenticated:
            from ..quiz.views import quiz_post

            return quiz_post(request, quiz=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..quiz.selectors import quiz_state

        context = super().get_context(request, *args, **kwargs)
        context["state"] = quiz_state(
            user=request.user, quiz=self, preview=getattr(request, "is_preview", False)
        )
        context.setdefault("answers", {})
        return context


class QuizAttempt(models.Model):
    """One attempt: started (questions drawn), then submitted once (scored, never changed).

    `questions` is the snapshot of the questions drawn, in the order shown, with their
    choices in the order shown: scoring reads it, so an instructor editing the quiz
    during an attempt changes nothing for it. `revision` says which revision it came from.
    """

    class Status(models.TextChoices):
        STARTED = "started", _("started")
        SUBMITTED = "submitted", _("submitted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["user", "quiz"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(status="started"),
                name="one_open_attempt_per_quiz",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.STARTED
