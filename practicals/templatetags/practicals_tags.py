"""Template helpers: times shown in the farm's time zone, the slot picker's data."""

from django import template
from django.utils import formats, timezone

from ..selectors import slot_choice, slots_by_day

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
    return slots_by_day(practical=practical, **slot_choice(request.GET))
