"""Template helpers: times shown in the farm's time zone, the slot picker's data, the signed
URL an attempt page polls."""

import datetime as dt

from django import template
from django.utils import formats, timezone

from ..selectors import slots_by_day
from ..status import status_url

register = template.Library()


@register.simple_tag
def slot_label(starts_at, ends_at, farm, time_only=False):
    start = timezone.localtime(starts_at, farm.tzinfo)
    end = timezone.localtime(ends_at, farm.tzinfo)
    times = f"{formats.time_format(start, 'H:i')} – {formats.time_format(end, 'H:i')}"
    if time_only:
        return times
    return f"{formats.date_format(start, 'l j F')}, {times}"


@register.simple_tag
def practical_slots(practical, request):
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    return slots_by_day(practical=practical, day=day)


@register.simple_tag(takes_context=True)
def attempt_status_url(context, attempt):
    """The status URL the attempt page polls, signed for the person it is rendered for
    (the view that renders the page has checked they may see the attempt)."""
    return status_url(attempt_id=attempt.pk, viewer_id=context["request"].user.pk)
