"""The outline of a course: its live modules and steps in the tree's order, without bodies.

Every course and step page needs the course's structure (progress, previous and next,
prerequisites), and loading every step as its specific page, with its body, made each
request's work grow with the course. The outline holds only what navigation needs:
each step as a plain `Page` (id, title, path, url_path, content type: enough for
`{% pageurl %}`, `.url` and `.specific_class`), each module with its intro rendered.

It is the same for everyone, so it is cached per version of the course: any save,
publish, unpublish, move or deletion of a page inside the course gives the course a
new version (at once and again when the transaction commits: `receivers`), and the
next request builds the outline again. No trainee data is ever in it: progress is read
per request (`selectors`). The cache must be shared by every web process (`CACHE_URL`,
Redis in production) for a publish in one process to be seen by the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page
from wagtail.templatetags.wagtailcore_tags import richtext

from .models import CoursePage, CourseStepPage, ModulePage

TIMEOUT = 24 * 3600
_VERSION_KEY = "course-outline-version:{}"
# The layout of `Outline` is part of the key: a process started with new code never
# unpickles an outline that an older one stored without the fields it reads.
_OUTLINE_KEY = "course-outline:3:{}:{}"
# Outlines already read by this process, by versioned key: the version is still read
# from the shared cache on every request, so a new version is seen at once; this only
# saves unpickling the same outline again. Nothing in it is ever modified.
_in_process: dict[str, Outline] = {}
_IN_PROCESS_MAX = 64


@dataclass
class ModuleEntry:
    module: ModulePage
    intro_html: str
    steps: list[Page] = field(default_factory=list)


# The course's own row: what every step page reads (its title and URL, the unlocking
# rule) and what the course page shows (summary, level, hours), so that routing builds
# the course page from the outline without a query (`courses.routing`).
# In the order of CoursePage's own fields (`Model.from_db` needs it).
COURSE_FIELDS = tuple(f.attname for f in CoursePage._meta.concrete_fields)


@dataclass
class Outline:
    course_id: int
    modules: list[ModuleEntry]
    steps: list[Page]  # every step of the live modules, in the tree's order (`outline_url` set)
    version: str = ""  # the course version it was built for (`outline_get`)
    course_url: str | None = None
    course_row: tuple = ()  # the values of COURSE_FIELDS
    # url_path -> step, and module path -> module (routing: `courses.routing`)
    by_url_path: dict[str, Page] = field(default_factory=dict)
    modules_by_path: dict[str, ModulePage] = field(default_factory=dict)
    # The competencies the course certifies, in the course's order (`CourseCompetency`:
    # a change to them gives the course a new version too, `receivers`).
    competency_ids: tuple[int, ...] = ()

    def course_page(self) -> CoursePage:
        """The course as a specific page built from the outline's row (no query; its
        many-to-many fields are read when asked for). A new object each call."""
        return CoursePage.from_db("default", list(COURSE_FIELDS), list(self.course_row))

    def neighbours(self, step_id: int) -> tuple[Page | None, Page | None]:
        """The steps before and after `step_id` in the course (None at either end)."""
        steps = self.steps
        i = next((i for i, s in enumerate(steps) if s.pk == step_id), None)
        if i is None:
            return None, None
        return (steps[i - 1] if i > 0 else None, steps[i + 1] if i + 1 < len(steps) else None)


def _step_models() -> set[type]:
    from wagtail.models import get_page_models

    return {m for m in get_page_models() if issubclass(m, CourseStepPage)}


def outline_build(*, course: CoursePage) -> Outline:
    """Four queries: the course's own row, the competencies it certifies, the live modules
    (with their intro), the live steps below them."""
    from .models import CourseCompetency

    course_row = CoursePage.objects.filter(pk=course.pk).values_list(*COURSE_FIELDS).get()
    competency_ids = tuple(
        CourseCompetency.objects.filter(course_id=course.pk).values_list("competency_id", flat=True)
    )
    modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
    entries = {m.path: ModuleEntry(module=m, intro_html=richtext(m.intro)) for m in modules}
    from django.contrib.contenttypes.models import ContentType

    step_types = ContentType.objects.get_for_models(*_step_models()).values()
    rows = (
        Page.objects.live()
        .descendant_of(course)
        .filter(depth=course.depth + 2, content_type__in=list(step_types))
        .order_by("path")
        .values_list("pk", "title", "slug", "path", "depth", "url_path", "content_type_id")
    )
    # Step URLs follow the course's: computed once here, not once per step per request.
    course_url, course_path = course.get_url(), course.url_path
    steps = []
    for pk, title, slug, path, depth, url_path, content_type_id in rows:
        entry = entries.get(path[: -Page.steplen])
        if entry is None:  # below a module that is not live
            continue
        step = Page(
            id=pk,
            title=title,
            slug=slug,
            path=path,
            depth=depth,
            url_path=url_path,
            content_type_id=content_type_id,
            live=True,
        )
        step.outline_url = course_url + url_path[len(course_path) :] if course_url else None
        entry.steps.append(step)
        steps.append(step)
    return Outline(
        course_id=course.pk,
        modules=list(entries.values()),
        steps=steps,
        course_url=course_url,
        course_row=course_row,
        by_url_path={step.url_path: step for step in steps},
        modules_by_path={m.path: m for m in modules},
        competency_ids=competency_ids,
    )


def version_key(course_id: int) -> str:
    """The cache key of the course's outline version (for callers that read it together
    with other keys, in one round trip)."""
    return _VERSION_KEY.format(course_id)


def _version(course_id: int, *, prefetched: dict | None = None) -> str:
    key = _VERSION_KEY.format(course_id)
    version = prefetched.get(key) if prefetched is not None else cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def outline_get(
    *,
    course: CoursePage | None = None,
    course_id: int | None = None,
    prefetched: dict | None = None,
) -> Outline:
    """The course's outline, from the cache when this version of the course has one.

    The version is read before the pages, so an outline built while a publish commits
    is stored under the version that the publish replaces, and never read again.
    `course_id` instead of `course` loads the course only to build its outline;
    `prefetched`: cache values the caller already read in this request (`version_key`).
    """
    course_id = course.pk if course is not None else course_id
    version = _version(course_id, prefetched=prefetched)
    key = _OUTLINE_KEY.format(course_id, version)
    outline = _in_process.get(key)
    if outline is not None:
        return outline
    outline = cache.get(key)
    if outline is None:
        if course is None:
            course = CoursePage.objects.get(pk=course_id)
        outline = outline_build(course=course)
        outline.version = version
        cache.set(key, outline, TIMEOUT)
    if len(_in_process) >= _IN_PROCESS_MAX:
        _in_process.clear()
    _in_process[key] = outline
    return outline


def _version_new(course_id: int) -> None:
    cache.set(_VERSION_KEY.format(course_id), uuid.uuid4().hex, None)


def outline_invalidate(*, course_id: int) -> None:
    """Give the course a new version now, and again once the transaction commits.

    Now, so that this transaction's own reads see the change; on commit, because a
    request in another process may have rebuilt the outline in between from the rows
    as they were before the commit.
    """
    _version_new(course_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _version_new(course_id))


def courses_containing(page: Page) -> list[int]:
    """The ids of the courses `page` is in (or is)."""
    if isinstance(page, CoursePage):
        return [page.pk]
    if not page.path or page.depth is None:
        return []
    ancestors = [page.path[: Page.steplen * d] for d in range(1, page.depth)]
    return list(CoursePage.objects.filter(path__in=ancestors).values_list("pk", flat=True))
