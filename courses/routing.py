"""Finding a page from its URL in one indexed query, and its view restrictions from a
cached set: Wagtail's serve view, with the walk down the tree replaced.

Wagtail's `Page.route` walks the tree one level at a time from the site's root, and at
each level loads the child then its specific page: for a lesson (catalogue, course,
module, lesson) the site, then 7 queries, then 2 more for the view restrictions of the
page and its ancestors; the lesson then looked its course up again. Here:

- the site comes from a cached list of sites (`sites_cached`, no query);
- one query on `url_path` (indexed: migration `courses.0013`) reads the base rows of the
  page and of every ancestor below the site's root;
- the page is loaded once as its specific class; its ancestors are given as deferred
  specific pages built from their rows (no query): the parent, and for a course step
  its course;
- the view restrictions (`view_restrictions`) are read only when the page or an ancestor
  has one, from a set of restricted paths cached per version (invalidated by
  `receivers` on any change to a restriction or to the tree).

A course step (lesson, quiz, practical) is found without the url_path query: the path
of its course is looked up in a cached index of live courses (`_course_index`, per
catalogue version: any page change gives a new one), then the step in the course's cached
outline (`courses.outline`, per course version); the step's own row is then the one
query, with what serving it needs about the visitor (`CourseStepPage.routed_queryset`:
enrolment, completion). The course and the module come from the outline (no query).
The request's cache reads (sites, restricted paths' version, catalogue version, the
course's outline version) are one round trip. A path the outline does not know (a page
that is not live, a module, a typo) goes the url_path way below, whose answer is the
reference: the outline only ever holds live steps below live modules of a live course.

Wagtail's semantics are kept: the answer is computed the same way, then handed to
Wagtail's own `serve` (hooks, view restrictions, `serve`, redirects of a 404): a page
that is not live is a 404 (ancestors are not checked, as in `Page.route`); a path that
matches no page, or a tree where some page class has its own `route` (routable pages),
or an i18n site falls back to Wagtail's walk. Previews do not come through here.
"""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import MATCH_DEFAULT, MATCH_HOSTNAME, MATCH_HOSTNAME_DEFAULT
from wagtail.url_routing import RouteResult

from .catalogue_version import _KEY as _CATALOGUE_VERSION_KEY
from .catalogue_version import catalogue_version

_SITES_KEY = "atelier-routing-sites"
_RESTRICTED_VERSION_KEY = "atelier-view-restrictions-version"
_RESTRICTED_KEY = "atelier-view-restrictions:{}"
TIMEOUT = 24 * 3600


# Sites ---------------------------------------------------------------------------------


def _sites_build() -> list[dict]:
    return list(
        Site.objects.order_by("pk").values(
            "id",
            "hostname",
            "port",
            "site_name",
            "root_page_id",
            "is_default_site",
            "root_page__url_path",
        )
    )


def sites_cached(*, prefetched: dict | None = None) -> list[dict]:
    sites = (prefetched if prefetched is not None else cache.get_many([_SITES_KEY])).get(_SITES_KEY)
    if sites is None:
        sites = _sites_build()
        cache.set(_SITES_KEY, sites, TIMEOUT)
    return sites


def sites_forget() -> None:
    cache.delete(_SITES_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(_SITES_KEY))


def site_for_request(request: HttpRequest, *, prefetched: dict | None = None) -> Site | None:
    """`Site.find_for_request`'s choice (same rules as `get_site_for_hostname`), made from
    the cached list of sites; the Site is cached on the request as Wagtail does."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    matches = []
    for row in sites_cached(prefetched=prefetched):
        if row["hostname"] == hostname and str(row["port"]) == str(port):
            match = 0  # MATCH_HOSTNAME_PORT
        elif row["hostname"] == hostname and row["is_default_site"]:
            match = MATCH_HOSTNAME_DEFAULT
        elif row["is_default_site"]:
            match = MATCH_DEFAULT
        elif row["hostname"] == hostname:
            match = MATCH_HOSTNAME
        else:
            continue
        matches.append((match, row))
    matches.sort(key=lambda pair: pair[0])
    row = None
    if matches:
        if len(matches) == 1 or matches[0][0] in (0, MATCH_HOSTNAME_DEFAULT):
            row = matches[0][1]
        elif matches[0][0] == MATCH_DEFAULT:
            row = matches[len(matches) == 2][1]
    site = None
    if row is not None:
        row = dict(row)
        root_url_path = row.pop("root_page__url_path")
        site = Site(**row)
        site.root_url_path = root_url_path
    request._wagtail_site = site
    return site


# Routing -------------------------------------------------------------------------------


def _walkable(cls) -> bool:
    """The class routes as Wagtail's `Page.route` does (no routable sub-paths)."""
    return cls is not None and getattr(cls, "route", None) is Page.route


# Live courses by url_path -------------------------------------------------------------

_COURSES_KEY = "atelier-routing-courses:{}"
# The index for the catalogue version last seen by this process: (version, index).
_course_index_seen: list = [None, {}]


def _course_index_build() -> dict[str, int]:
    """url_path -> id of every live course whose ancestors all route as Wagtail's
    `Page.route` does (a routable page above a course decides what follows it)."""
    from .models import CoursePage

    courses = list(CoursePage.objects.live().values_list("url_path", "pk", "path"))
    steplen = Page.steplen
    above = {path[: steplen * d] for *_, path in courses for d in range(1, len(path) // steplen)}
    classes = {
        path: Page(content_type_id=ct).specific_class
        for path, ct in Page.objects.filter(path__in=above).values_list("path", "content_type_id")
    }
    return {
        url_path: pk
        for url_path, pk, path in courses
        if all(_walkable(classes.get(path[: steplen * d])) for d in range(1, len(path) // steplen))
    }


def _course_index(version: str) -> dict[str, int]:
    """The index for this catalogue version: from this process's memory, the shared
    cache, or built (read after the version, as outlines are)."""
    if _course_index_seen[0] == version:
        return _course_index_seen[1]
    key = _COURSES_KEY.format(version)
    index = cache.get(key)
    if index is None:
        index = _course_index_build()
        cache.set(key, index, TIMEOUT)
    _course_index_seen[:] = [version, index]
    return index


def _route_step(request, *, site, components, prefetched):
    """The step at `components` from its course's outline, or None when the outline does
    not know it (the caller then routes by url_path)."""
    if len(components) < 3:
        return None
    from .models import CourseStepPage

    course_url_path = site.root_url_path + "".join(c + "/" for c in components[:-2])
    outline = _outline_at(course_url_path, prefetched)
    if outline is None:
        return None
    step = outline.by_url_path.get(course_url_path + components[-2] + "/" + components[-1] + "/")
    cls = step.specific_class if step is not None else None
    if cls is None or not issubclass(cls, CourseStepPage) or not _walkable(cls):
        return None
    page = cls.routed_row(request=request, outline=outline, pk=step.pk)
    if page is None:  # not live any more, whatever the outline says: the url_path way
        return None
    _outline_seen[outline.course_id] = outline
    page._outline = outline
    page._prefetched = prefetched
    page._course = outline.course_page()
    page._cached_parent_obj = outline.modules_by_path.get(page.path[: -Page.steplen])
    return page


def _route_course(request, *, site, components, prefetched):
    """The course at `components` built from its cached outline (its own row is in it:
    no query), or None when the index of live courses does not know the path (the
    caller then routes by url_path). The index is per catalogue version and the outline
    per course version: any change to the course, or to a page above it, gives new ones."""
    url_path = site.root_url_path + "".join(c + "/" for c in components)
    outline = _outline_at(url_path, prefetched)
    if outline is None:
        return None
    page = outline.course_page()
    if not page.live or page.url_path != url_path or not _walkable(page.specific_class):
        return None
    page._outline = outline
    return page


def _outline_at(course_url_path: str, prefetched: dict):
    """The cached outline of the live course at `course_url_path`, or None when the index
    of live courses (per catalogue version) does not know it."""
    from .outline import outline_get, version_key

    version = prefetched.get(_CATALOGUE_VERSION_KEY) or catalogue_version()
    course_id = _course_index(version).get(course_url_path)
    if course_id is None:
        return None
    if version_key(course_id) not in prefetched:  # the catalogue changed since the guess
        prefetched.update(cache.get_many([version_key(course_id)]))
    return outline_get(course_id=course_id, prefetched=prefetched)


# The outline last read for each course by this process: only to guess which keys to read.
_outline_seen: dict = {}


def _prefetch_keys(request, path: str, site_guess, *, user_id=None) -> list[str]:
    """The cache keys this request will read, to read them in one round trip: the course's
    outline version, and the visitor's « viewed » throttle on the step, are guessed from
    the course index and the outline last seen by this process (a wrong guess costs a
    second read, never a wrong answer: each value is used only under its own key).
    `user_id`: the visitor's, when known before their user is loaded."""
    keys = [_SITES_KEY, _RESTRICTED_VERSION_KEY, _CATALOGUE_VERSION_KEY]
    root_url_path = getattr(site_guess, "root_url_path", None)
    components = [c for c in path.split("/") if c]
    if root_url_path and components:
        from .outline import version_key

        # The course page itself.
        course_id = _course_index_seen[1].get(root_url_path + "".join(c + "/" for c in components))
        if course_id is not None:
            keys.append(version_key(course_id))
    if root_url_path and len(components) >= 3:
        from .outline import version_key

        course_url_path = root_url_path + "".join(c + "/" for c in components[:-2])
        course_id = _course_index_seen[1].get(course_url_path)
        if course_id is not None:
            keys.append(version_key(course_id))
            outline = _outline_seen.get(course_id)
            if user_id is None:
                user = getattr(request, "user", None)
                user_id = user.pk if user is not None and user.is_authenticated else None
            url_path = root_url_path + "".join(c + "/" for c in components)
            step = outline.by_url_path.get(url_path) if outline is not None else None
            if step is not None and user_id is not None:
                from .activity import viewed_key

                keys.append(viewed_key(user_id=user_id, page_id=step.pk))
    return keys


def request_keys(request, *, user_id) -> list[str]:
    """The keys `route_by_url_path` will read for this request, for whoever reads the
    cache before it (the session's user is read with them: `lms.accounts.middleware`),
    which leaves them, with the values read, in `request._atelier_read_ahead`."""
    return _prefetch_keys(request, request.path_info, _site_seen[0], user_id=user_id)


def _read(request, keys: list[str]) -> dict:
    """The values of `keys`: those read ahead for this request, the others now."""
    asked, values = getattr(request, "_atelier_read_ahead", ((), {}))
    found = {key: values[key] for key in keys if key in asked and key in values}
    missing = [key for key in keys if key not in asked]
    if missing:
        found.update(cache.get_many(missing))
    return found


# The site found for the last request of this process: only to guess which keys to read.
_site_seen: list = [None]


def route_by_url_path(request: HttpRequest, path: str):
    """A `RouteResult`, None for a 404, or NotImplemented to let Wagtail walk the tree."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return NotImplemented
    # The cache's values this request needs, in one round trip.
    prefetched = _read(request, _prefetch_keys(request, path, _site_seen[0]))
    site = site_for_request(request, prefetched=prefetched)
    if site is None:
        return None
    _site_seen[0] = site
    root_url_path = getattr(site, "root_url_path", None) or site.root_page.url_path
    components = [c for c in path.split("/") if c]
    if getattr(site, "root_url_path", None):
        page = _route_step(request, site=site, components=components, prefetched=prefetched)
        if page is not None:
            # The hook that checks view restrictions asks the page: from the cached set.
            page.get_view_restrictions = functools.partial(
                view_restrictions, page, version=prefetched.get(_RESTRICTED_VERSION_KEY)
            )
            return RouteResult(page)
        page = _route_course(request, site=site, components=components, prefetched=prefetched)
        if page is not None:
            page.get_view_restrictions = functools.partial(
                view_restrictions, page, version=prefetched.get(_RESTRICTED_VERSION_KEY)
            )
            return RouteResult(page)
    wanted = [
        root_url_path + "".join(c + "/" for c in components[:i]) for i in range(len(components) + 1)
    ]
    rows = sorted(Page.objects.filter(url_path__in=wanted), key=lambda row: row.depth)
    if not rows or rows[0].pk != site.root_page_id or rows[0].url_path != root_url_path:
        # The cached sites are out of date (changed without signals): Wagtail decides.
        del request._wagtail_site
        sites_forget()
        return NotImplemented
    # The root then one page per component, each the child of the one before.
    for i, (parent, child) in enumerate(zip(rows, rows[1:], strict=False), start=1):
        if (
            child.url_path != wanted[i]
            or child.depth != parent.depth + 1
            or not child.path.startswith(parent.path)
        ):
            return NotImplemented
    if not all(_walkable(row.specific_class) for row in rows):
        return NotImplemented  # a routable page on the way decides what follows it
    if len(rows) < len(wanted):
        return None  # no page at this path: Wagtail's walk would say 404 too
    target = rows[-1]
    if not target.live:
        return None
    page = target.specific  # the one query for the page's own fields
    ancestors = [row.specific_deferred for row in rows[:-1]]
    if ancestors:
        page._cached_parent_obj = ancestors[-1]
    from .models import CoursePage, CourseStepPage

    course = next((a for a in ancestors if isinstance(a, CoursePage)), None)
    if course is not None and isinstance(page, CourseStepPage):
        page._course = course
    # The hook that checks view restrictions asks the page: answered from the cached set.
    page.get_view_restrictions = functools.partial(
        view_restrictions, page, version=prefetched.get(_RESTRICTED_VERSION_KEY)
    )
    return RouteResult(page)


def serve(request: HttpRequest, path: str):
    """Wagtail's `serve`, the page found by `route_by_url_path` when it can."""
    if not hasattr(request, "_wagtail_route_for_request"):
        result = route_by_url_path(request, path)
        if result is not NotImplemented:
            request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)


# View restrictions ---------------------------------------------------------------------


def _restricted_build() -> frozenset[str]:
    """Paths of the pages with a view restriction, and of the aliases of such pages."""
    restricted = PageViewRestriction.objects.values("page_id")
    return frozenset(
        Page.objects.filter(pk__in=restricted).values_list("path", flat=True)
    ) | frozenset(Page.objects.filter(alias_of_id__in=restricted).values_list("path", flat=True))


_in_process: dict[str, frozenset[str]] = {}


def restricted_paths(*, version: str | None = None) -> frozenset[str]:
    """The set is read after its version, so a set built while a change commits is stored
    under the version the change replaces, and never read again. `version`: as read by
    the caller earlier in the same request."""
    if version is None:
        version = cache.get(_RESTRICTED_VERSION_KEY)
    if version is None:
        cache.add(_RESTRICTED_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_RESTRICTED_VERSION_KEY)
    key = _RESTRICTED_KEY.format(version)
    paths = _in_process.get(key)
    if paths is None:
        paths = cache.get(key)
        if paths is None:
            paths = _restricted_build()
            cache.set(key, paths, TIMEOUT)
        _in_process.clear()
        _in_process[key] = paths
    return paths


def restricted_paths_forget() -> None:
    def new_version():
        cache.set(_RESTRICTED_VERSION_KEY, uuid.uuid4().hex, None)

    new_version()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(new_version)


def view_restrictions(page: Page, *, version: str | None = None):
    """What `Page.get_view_restrictions` returns, without a query when neither the page
    nor any ancestor (nor the source of an alias among them) has a restriction."""
    steplen = Page.steplen
    own_and_ancestors = {page.path[: steplen * d] for d in range(1, len(page.path) // steplen + 1)}
    if page.alias_of_id is None and not (own_and_ancestors & restricted_paths(version=version)):
        # An empty queryset already evaluated: iterating it builds no SQL (that cost 5 % of
        # a lesson's CPU), and it still answers `exists()`, `count()`, filters.
        none = PageViewRestriction.objects.none()
        none._result_cache = []
        return none
    return Page.get_view_restrictions(page)
