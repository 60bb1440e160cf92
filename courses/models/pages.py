"""The course's page tree: catalogue, course, module, and the steps (lessons here)."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import LessonStreamBlock

# The instructor role's group name (lms.roles.INSTRUCTOR; courses cannot import lms).
INSTRUCTOR_GROUP = "Instructor"


class CatalogPage(Page):
    intro = RichTextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from functools import partial
        from uuid import uuid4

        from ..catalogue_version import catalogue_version
        from ..models import Topic
        from ..selectors import CatalogueFilters, course_search

        context = super().get_context(request, *args, **kwargs)
        filters = CatalogueFilters.from_query(request.GET)
        context["filters"] = filters
        # Read only when the list is not cached (templates call callables; querysets are lazy).
        context["courses"] = partial(course_search, catalog=self, filters=filters)
        context["levels"] = CoursePage.Level.choices
        context["topics"] = Topic.objects.all()
        # A preview (a draft) is rendered under a key of its own, never read again.
        preview = getattr(request, "is_preview", False)
        context["catalogue_version"] = f"preview-{uuid4().hex}" if preview else catalogue_version()
        return context

    def serve(self, request, *args, **kwargs):
        """Without filters, the catalogue is the same for every visitor without a session:
        shared whole (`courses.shared_pages`) while the catalogue's version lasts."""
        from ..catalogue_version import CATALOGUE_VERSION_KEY
        from ..shared_pages import page_shared

        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False) and not request.GET:
            page_shared(response, versions=[CATALOGUE_VERSION_KEY])
        return response


class CoursePage(Page):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    summary = models.TextField(_("summary"), blank=True)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER
    )
    hours = models.PositiveSmallIntegerField(_("duration in hours"), default=1)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ParentalManyToManyField(
        "courses.Topic", verbose_name=_("topics"), blank=True, related_name="courses"
    )
    sequential = models.BooleanField(
        _("unlock steps in order"),
        default=False,
        help_text=_("A step opens only once every step before it is complete."),
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisite courses"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="courses_taught",
        limit_choices_to={"groups__name": INSTRUCTOR_GROUP},
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("level"),
                FieldPanel("topics"),
                FieldPanel("hours"),
                FieldPanel("cover"),
            ],
            heading=_("At a glance"),
        ),
        FieldPanel("sequential"),
        FieldPanel("prerequisites"),
        FieldPanel("instructors"),
        InlinePanel(
            "certified_competencies",
            heading=_("Competencies certified"),
            label=_("Competency"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("level"),
    ]

    parent_page_types = ["courses.CatalogPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        # A course waiting for itself could never be started (the form's own choices).
        if self.pk and self.pk in {c.pk for c in self.prerequisites.all()}:
            raise ValidationError({"prerequisites": _("A course cannot require itself.")})

    def get_context(self, request, *args, **kwargs):
        from ..fragments import course_parts, outline_html
        from ..outline import outline_get
        from ..selectors import course_outline_read, prerequisites_missing

        context = super().get_context(request, *args, **kwargs)
        # The outline routing read (`courses.routing`), or this version's.
        structure = getattr(self, "_outline", None) or outline_get(course=self)
        # The trainee's statuses, read once: the certificate box reads them from here.
        outline = context["outline"] = course_outline_read(
            course=self, outline=structure, user=request.user
        )
        # Every step's `<li>`: cached per outline version, joined with this trainee's states.
        context["outline_html"] = outline_html(course_outline=outline)
        # Kept only for the page built from the outline's own row (routing): a row read
        # apart (a preview, a draft, Wagtail's walk) may be newer or older than the version.
        routed = getattr(self, "_outline", None) is not None
        context["parts"] = course_parts(
            page=self,
            outline=structure,
            keep=routed and not getattr(request, "is_preview", False),
        )
        if not outline.enrolled:
            if request.user.is_authenticated:
                context["prerequisites_missing"] = prerequisites_missing(
                    user=request.user, course=self
                )
            else:
                context["prerequisites_missing"] = list(
                    CoursePage.objects.live().filter(required_by=self.pk).order_by("path")
                )
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

    @classmethod
    def steps_status(cls, *, user, page_ids) -> dict[int, str]:
        """Assessed states (`courses.status.StepStatus`) of `user` on `page_ids`: one query.

        Steps left out are not started, or in progress when viewed (the activity record
        says). A class says what it knows through `status_rows` and `status_read` (the
        course page reads every class's rows in one statement: `courses.status`); one
        that has no rows to give counts a completed step as « done ».
        """
        rows = cls.status_rows(user_id=user.pk, page_ids=page_ids)
        if rows is not None:
            return cls.status_read(list(rows))
        return dict.fromkeys(cls.steps_done(user=user, page_ids=page_ids), "done")

    @classmethod
    def status_rows(cls, *, user_id, page_ids):
        """The rows `status_read` judges, as a `values_list` of five columns: the step's
        id, the row's id, a word, a flag, a time (None where the class has none), with no
        ordering; or None when the class has no such rows (then `steps_done` decides).

        Equalities on `user_id` and `page_ids__in` only: the course page compiles the
        rows of every class once per process, in one `UNION ALL`."""
        return None

    @classmethod
    def status_read(cls, rows) -> dict[int, str]:
        """step id -> assessed state, from `status_rows`' rows (in any order)."""
        raise NotImplementedError

    def estimated_time(self) -> int | None:
        """Minutes a trainee should plan for this step (steps say how they know)."""
        return getattr(self, "estimated_minutes", None)

    def course(self):
        # Asked several times per request (access check, navigation, prerequisites); set
        # from the course's outline when the page was routed (`courses.routing`).
        if not hasattr(self, "_course"):
            self._course = CoursePage.objects.ancestor_of(self).first()
        return self._course

    def course_outline(self):
        """The outline of the step's course (the one routing read, when it routed)."""
        if not hasattr(self, "_outline"):
            from ..outline import outline_get

            course = self.course()
            self._outline = outline_get(course=course) if course is not None else None
        return self._outline

    @classmethod
    def routed_queryset(cls, *, pk, user_id=None, course_id=None, defer=()):
        """The step's own row as routing loads it (`courses.routing`): live only, with what
        serving it needs about the visitor (`user_id`, when logged in) in the same query:
        whether they are enrolled (`_enrolled`). Subclasses add theirs (a lesson: done)."""
        rows = cls.objects.filter(pk=pk, live=True).order_by()
        if defer:
            rows = rows.defer(*defer)
        if user_id is not None and cls.requires_enrolment:
            from .learning import Enrolment

            # Only an enrolment the service checked answers here; one written around it
            # (`prerequisites_checked` False) is judged by `enrolment_exists` (`enrolled`).
            rows = rows.annotate(
                _enrolled=_exists(
                    Enrolment, user_id=user_id, course_id=course_id, prerequisites_checked=True
                )
            )
        return rows

    @classmethod
    def routed_defer(cls, *, pk: int, outline) -> tuple[str, ...]:
        """Fields routing may leave out of the row (a lesson: its body, when rendered)."""
        return ()

    @classmethod
    def routed_row(cls, *, request, outline, pk: int):
        """The step's live row with the visitor's state, or None: `routed_queryset` with
        its SQL compiled once per process (`courses.precompiled`)."""
        from ..precompiled import Precompiled

        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        defer = cls.routed_defer(pk=pk, outline=outline)
        variant = (cls, user_id is not None, defer)
        query = _ROUTED.get(variant)
        if query is None:

            def build(pk, user_id=None, course_id=None):
                return cls.routed_queryset(pk=pk, user_id=user_id, course_id=course_id, defer=defer)

            query = _ROUTED[variant] = Precompiled(build)
        values = (pk,) if user_id is None else (pk, user_id, outline.course_id)
        try:
            rows = query.rows(*values)
        except ValueError:  # a subclass's query that cannot be compiled once
            rows = list(query.build(*values))
        return rows[0] if rows else None

    def enrolled(self, user) -> bool:
        if getattr(self, "_enrolled", False):
            return True
        from ..selectors import enrolment_exists

        return enrolment_exists(user=user, course=self.course())

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        course = self.course()
        if self.requires_enrolment and not self.enrolled(request.user):
            from django.contrib import messages

            messages.error(request, _("Enrol in this course to open its lessons."))
            return redirect(course.url)
        if course.sequential and not getattr(request, "is_preview", False):
            from ..selectors import step_lock

            blocker = step_lock(step=self, user=request.user)
            if blocker is not None:
                from django.template.response import TemplateResponse

                context = {"page": self, "course": course, "blocker": blocker}
                return TemplateResponse(request, "courses/step_locked.html", context, status=403)
        if request.method == "GET" and not getattr(request, "is_preview", False):
            from ..activity import Verb, step_activity_record

            step_activity_record(
                user=request.user,
                verb=Verb.VIEWED,
                step=self,
                prefetched=getattr(self, "_prefetched", None),  # read by routing
            )
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course()
        outline = self.course_outline()
        # Previous and next, and the course's URL, from the outline (no query, no lookup
        # of the site's root paths).
        context["course_url"] = outline.course_url if outline is not None else None
        # Found only when a template asks (a lesson's navigation is most often a cached
        # fragment that does not): the template calls them.
        neighbours = functools.cache(
            lambda: outline.neighbours(self.pk) if outline is not None else (None, None)
        )
        context["previous_step"] = lambda: neighbours()[0]
        context["next_step"] = lambda: neighbours()[1]
        return context


# Compiled routed queries, per (class, logged in, deferred fields).
_ROUTED: dict[tuple, object] = {}


def _exists(model, **where):
    """`EXISTS (SELECT 1 FROM model WHERE a = %s AND …)` as an annotation: plain SQL,
    cheaper to build per request than `Exists()` of a queryset, for equalities only."""
    from django.db.models.expressions import RawSQL

    table = model._meta.db_table
    columns = " AND ".join(f'"{name}" = %s' for name in where)
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{table}" WHERE {columns})',
        tuple(where.values()),
        output_field=models.BooleanField(),
    )


class LessonPage(CourseStepPage):
    body = StreamField(LessonStreamBlock(), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=10)

    content_panels = Page.content_panels + [FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("lesson")

    @classmethod
    def steps_done(cls, *, user, page_ids):
        from .learning import LessonCompletion

        return set(
            LessonCompletion.objects.filter(user=user, lesson_id__in=page_ids).values_list(
                "lesson_id", flat=True
            )
        )

    @classmethod
    def status_rows(cls, *, user_id, page_ids):
        from django.db.models.functions import Cast

        from .learning import LessonCompletion

        return (
            LessonCompletion.objects.filter(user_id=user_id, lesson_id__in=page_ids)
            .order_by()
            .values_list(
                "lesson_id",
                "pk",
                models.Value("done", output_field=models.CharField()),
                Cast(None, models.BooleanField()),
                Cast(None, models.DateTimeField()),
            )
        )

    @classmethod
    def status_read(cls, rows) -> dict[int, str]:
        """A lesson marked done is « done »."""
        return {row[0]: "done" for row in rows}

    @classmethod
    def routed_queryset(cls, *, pk, user_id=None, course_id=None, defer=()):
        """Whether the trainee has done the lesson (`_done`), in the same query."""
        rows = super().routed_queryset(pk=pk, user_id=user_id, course_id=course_id, defer=defer)
        if user_id is not None:
            from .learning import LessonCompletion

            rows = rows.annotate(_done=_exists(LessonCompletion, user_id=user_id, lesson_id=pk))
        return rows

    @classmethod
    def routed_defer(cls, *, pk: int, outline) -> tuple[str, ...]:
        """The body, when this process holds the lesson's rendered HTML (`courses.bodies`)."""
        from django.utils.translation import get_language

        from ..bodies import body_rendered_here

        if body_rendered_here(pk=pk, version=outline.version, language=get_language()):
            return ("body",)
        return ()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        done = getattr(self, "_done", None)
        if done is None:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            done = authenticated and self.pk in self.steps_done(user=user, page_ids=[self.pk])
        context["done"] = bool(done)
        return context
