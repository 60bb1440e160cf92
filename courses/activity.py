"""The activity record: writing it cheaply, and reading active time and last activity.

Active time rule (documented in docs/ARCHITECTURE.md): a trainee's events in a course are
sorted by time; the gap between two consecutive events counts as active time only when it
is at most `IDLE_GAP` (10 minutes). A longer gap — a tab left open overnight, a lunch
break — counts for nothing. A lone event counts for nothing either: time is only ever
measured between two things the trainee did.

Writing: one INSERT per event. « Viewed » is throttled: a page viewed again by the same
trainee within `VIEW_THROTTLE` is not recorded again, so reloading a page does not
multiply rows. The throttle is asked of the shared cache first (`cache.add` of a key per
trainee and page that lives as long as the window: no query while it is there); only
when the cache has no such key is the database asked (an indexed read, in case the cache
was flushed), then the row written.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from .models import Activity, CoursePage

IDLE_GAP = dt.timedelta(minutes=10)
VIEW_THROTTLE = dt.timedelta(minutes=5)
_VIEWED_KEY = "activity-viewed:{}:{}"  # user id, page id

Verb = Activity.Verb


def viewed_key(*, user_id: int, page_id: int) -> str:
    """The cache key of the « viewed » throttle (for callers that read it early, with
    the other keys of their request, in one round trip)."""
    return _VIEWED_KEY.format(user_id, page_id)


def activity_record(
    *,
    user,
    verb: str,
    course: CoursePage | None,
    page=None,
    at: dt.datetime | None = None,
    prefetched: dict | None = None,
) -> Activity | None:
    """Record that `user` did `verb` (on `page` of `course`); `None` when throttled.
    `prefetched`: cache values already read in this request (`viewed_key`)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if verb == Verb.VIEWED and page is not None and at is None:
        key = _VIEWED_KEY.format(user.pk, page.pk)
        if prefetched and prefetched.get(key):
            return None  # viewed within the window, as read with the request's other keys
        if not cache.add(key, 1, int(VIEW_THROTTLE.total_seconds())):
            return None  # viewed within the window: known without a query
    at = at or timezone.now()
    if verb == Verb.VIEWED and page is not None:
        recent = Activity.objects.filter(
            user=user, page=page, verb=Verb.VIEWED, at__gt=at - VIEW_THROTTLE, at__lte=at
        )
        if recent.exists():
            return None
    return Activity.objects.create(
        user=user,
        verb=verb,
        course=course,
        page=page,
        at=at,
    )


def step_activity_record(
    *, user, verb: str, step, at: dt.datetime | None = None, prefetched: dict | None = None
):
    """The hook for any course step (lesson, quiz, practical): finds its course itself."""
    return activity_record(
        user=user, verb=verb, course=step.course(), page=step, at=at, prefetched=prefetched
    )


def active_time(times: Iterable[dt.datetime], *, idle_gap: dt.timedelta = IDLE_GAP) -> dt.timedelta:
    """Sum of the gaps between consecutive events that are at most `idle_gap` long."""
    ordered = sorted(times)
    total = dt.timedelta()
    for before, after in zip(ordered, ordered[1:], strict=False):
        gap = after - before
        if gap <= idle_gap:
            total += gap
    return total


def active_time_by_user(*, user_ids: Iterable[int], course: CoursePage) -> dict[int, dt.timedelta]:
    """Active time in `course` of each of `user_ids` (zero for those with no activity)."""
    times: dict[int, list[dt.datetime]] = {pk: [] for pk in user_ids}
    rows = Activity.objects.filter(user_id__in=list(times), course=course).values_list(
        "user_id", "at"
    )
    for user_id, at in rows:
        times[user_id].append(at)
    return {pk: active_time(values) for pk, values in times.items()}


def last_activity_by_user(
    *, user_ids: Iterable[int], course: CoursePage | None = None
) -> dict[int, dt.datetime | None]:
    """When each of `user_ids` last did something (in `course`, or anywhere)."""
    user_ids = list(user_ids)
    rows = Activity.objects.filter(user_id__in=user_ids)
    if course is not None:
        rows = rows.filter(course=course)
    found = dict(rows.values("user_id").annotate(last=Max("at")).values_list("user_id", "last"))
    return {pk: found.get(pk) for pk in user_ids}


def last_step(*, user, course: CoursePage):
    """The last step `user` viewed or did in `course` (for « Reprendre »), or None."""
    row = (
        Activity.objects.filter(user=user, course=course, page__isnull=False)
        .order_by("-at", "-pk")
        .select_related("page")
        .first()
    )
    return row.page.specific if row else None
