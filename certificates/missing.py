"""The course page's certificate box: the holder's certificate, or the « still to do » list.

The box is drawn from the trainee's course outline the page has just read
(`courses.selectors.course_outline_read`): the statuses are not read a second time. Its
list asks every requirement of `eligibility.REQUIREMENT_CHECKS`, as the issuing task
does; the steps' items (a link and « Leçon : titre » each, the same for every trainee)
are rendered once per outline version and language and kept in the process, like the
outline's own HTML (`courses.fragments`), and each request picks which ones show from
this trainee's statuses. The outline's version changes with any change inside the
course (`courses.receivers`), so a renamed or new step is seen at once; nothing about a
trainee is kept.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from courses.precompiled import Precompiled
from courses.status import COMPLETE

from .eligibility import (
    REQUIREMENT_CHECKS,
    Missing,
    competencies_missing,
    content_missing,
    enrolment_missing,
    step_missing,
    steps_missing,
)
from .models import Certificate

_IN_PROCESS_MAX = 64
_step_items: dict[tuple, dict[int, str]] = {}


def _item_html(item: Missing) -> str:
    if item.url:
        return format_html('<li><a href="{}">{}</a></li>', item.url, item.label)
    return format_html("<li>{}</li>", item.label)


def _steps_items(outline) -> dict[int, str]:
    """step id -> its `<li>`, for this outline's version and the active language."""
    key = (outline.course_id, outline.version, get_language())
    items = _step_items.get(key)
    if items is None:
        items = {step.id: _item_html(step_missing(step)) for step in outline.steps}
        if len(_step_items) >= _IN_PROCESS_MAX:
            _step_items.clear()
        _step_items[key] = items
    return items


def missing_html(*, user, course, course_outline) -> SafeString:
    """Every requirement not met yet, as `<li>` items, from `course_outline` (this
    trainee's, read in this request) for the steps; empty when every one is met."""
    parts: list[str] = []
    for check in REQUIREMENT_CHECKS:
        if check is steps_missing:
            if not course_outline.enrolled:
                parts.append(_item_html(enrolment_missing(course=course)))
            if course_outline.step_count == 0:
                parts.append(_item_html(content_missing()))
            items = _steps_items(course_outline.outline)
            statuses = course_outline.statuses
            parts.extend(
                items[step.id]
                for step in course_outline.outline.steps
                if statuses[step.id] not in COMPLETE
            )
        elif check is competencies_missing:
            certified = course_outline.outline.competency_ids
            if certified:
                found = competencies_missing(user=user, course=course, certified=certified)
                parts.extend(_item_html(item) for item in found)
        else:
            parts.extend(_item_html(item) for item in check(user=user, course=course))
    return SafeString("".join(parts))


_LATEST = Precompiled(
    lambda holder_id, course_id: Certificate.objects.filter(
        holder_id=holder_id, course_id=course_id
    ).order_by("-version")[:1]
)


def certificate_latest(*, user, course_id: int) -> Certificate | None:
    """The holder's latest certificate version for the course, or None: one query,
    compiled once per process."""
    rows = _LATEST.rows(user.pk, course_id)
    return rows[0] if rows else None


def course_certificate_box(*, user, course, course_outline) -> dict:
    """For the course page's box: the holder's current certificate, or what is missing
    (`missing_html`, empty when every requirement is met)."""
    if not user.is_authenticated:
        return {}
    certificate = certificate_latest(user=user, course_id=course_outline.outline.course_id)
    if certificate is not None:
        return {"certificate": certificate}
    html = missing_html(user=user, course=course, course_outline=course_outline)
    return {"checked": True, "eligible": not html, "missing_html": html}
