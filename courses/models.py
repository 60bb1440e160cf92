"""Course pages (catalogue, course, module, steps) and the trainee's learning records.

A course is a Wagtail page tree: Catalogue > Course > Module > steps. A *step* is any
page that subclasses `CourseStepPage` (lessons and quizzes here, practicals in the
practicals app): courses counts progress over steps without knowing the apps above it.
"""

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonStreamBlock, QuizStreamBlock


class CatalogPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_list

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list(catalog=self)
        return context


class CoursePage(Page):
    summary = models.TextField(_("summary"), blank=True)
    hours = models.PositiveSmallIntegerField(_("duration in hours"), default=1)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("hours")]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self, user=request.user)
        return context


class ModulePage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("module")

    @classmethod
    def clean_subpage_models(cls):
        # Every kind of course step, including those of apps above courses (practicals),
        # without naming them here.
        from wagtail.models import get_page_models

        return [m for m in get_page_models() if issubclass(m, CourseStepPage)]

    def serve(self, request, *args, **kwargs):
        return redirect(self.get_parent().url)


class CourseStepPage(Page):
    """A page a trainee must complete: what progress and certificates count."""

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    requires_enrolment = True

    class Meta:
        abstract = True

    @classmethod
    def steps_done(cls, *, user, page_ids) -> set[int]:
        """The ids among `page_ids` (pages of this class) that `user` has completed."""
        raise NotImplementedError

    def course(self):
        # Asked several times per request (access check, navigation, prerequisites).
        if not hasattr(self, "_course"):
            self._course = CoursePage.objects.ancestor_of(self).first()
        return self._course

    def serve(self, request, *args, **kwargs):
        from .selectors import enrolment_exists

        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        course = self.course()
        if self.requires_enrolment and not enrolment_exists(user=request.user, course=course):
            from django.contrib import messages

            messages.error(request, _("Enrol in this course to open its lessons."))
            return redirect(course.url)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import step_neighbours

        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course()
        context["previous_step"], context["next_step"] = step_neighbours(step=self)
        return context


class LessonPage(CourseStepPage):
    body = StreamField(LessonStreamBlock(), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=10)

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("lesson")

    @classmethod
    def steps_done(cls, *, user, page_ids):
        return set(
            LessonCompletion.objects.filter(user=user, lesson_id__in=page_ids).values_list(
                "lesson_id", flat=True
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["done"] = self.pk in self.steps_done(user=request.user, page_ids=[self.pk])
        return context


class QuizPage(CourseStepPage):
    intro = RichTextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, help_text=_("Score needed to pass, in percent.")
    )
    questions = StreamField(QuizStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("pass_mark"),
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

    def question_list(self) -> list[dict]:
        """The questions as plain data for the form: no hint of which answer is right."""
        return [
            {
                "id": block.id,
                "text": block.value["question"],
                "choices": [choice["text"] for choice in block.value["choices"]],
            }
            for block in self.questions
        ]

    def serve(self, request, *args, **kwargs):
        # Submissions are posted to the quiz's own URL so that a form with an error is
        # shown again at the same place, with the trainee's answers kept.
        if request.method == "POST" and request.user.is_authenticated:
            from .exceptions import AtelierError
            from .services import quiz_submit

            answers = {
                key.removeprefix("q-"): value
                for key, value in request.POST.items()
                if key.startswith("q-")
            }
            try:
                quiz_submit(user=request.user, quiz=self, answers=answers)
            except AtelierError as error:
                context = self.get_context(request)
                context.update(error=error.message, answers=answers)
                return TemplateResponse(
                    request, self.get_template(request), context, status=error.status
                )
            return redirect(self.url)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import quiz_attempt_latest

        context = super().get_context(request, *args, **kwargs)
        context["questions"] = self.question_list()
        context["last_attempt"] = quiz_attempt_latest(user=request.user, quiz=self)
        context.setdefault("answers", {})
        return context


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once_per_course")
        ]


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_done_once")]


class QuizAttempt(models.Model):
    """One submitted attempt, kept with its answers and score (never overwritten)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="attempts")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["user", "quiz"])]
