"""Template helpers: times shown in the farm's time zone, the slot picker's data, the signed
URL an attempt page polls."""

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from ..selectors import slot_choice, slots_by_day
from ..status import status_url

register = template.Library()


@register.simple_tag
def slot_label(starts_at, ends_at, farm, time_only=False):
    tz = farm.tzinfo
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    times = f"{start:%H:%M} – {end:%H:%M}"  # 24-hour digits in every language
    if time_only:
        return times
    return f"{formats.date_format(start, 'l j F')}, {times}"


@register.simple_tag
def practical_slots(practical, request):
    return slots_by_day(practical=practical, **slot_choice(request.GET))


@register.simple_tag(takes_context=True)
def attempt_status_url(context, attempt):
    """The status URL the attempt page polls, signed for the person it is rendered for
    (the view that renders the page has checked they may see the attempt)."""
    return status_url(attempt_id=attempt.pk, viewer_id=context["request"].user.pk)


@register.simple_tag(takes_context=True)
def slot_forms(context, times, action, with_date=False):
    """One small form per free time (the printer named is the first free one; the server
    books another of the farm if it was taken meanwhile). Built here rather than by an
    `{% include %}` per time: a day of a farm's times costs a tenth of the rendering."""
    token = context.get("csrf_token")
    token = str(token) if token else ""
    forms = []
    for time in times:
        label = slot_label(time.starts_at, time.ends_at, time.farm, time_only=not with_date)
        free = ngettext(
            "%(farm)s, %(printers)s printer free",
            "%(farm)s, %(printers)s printers free",
            len(time.printers),
        ) % {"farm": time.farm.name, "printers": len(time.printers)}
        forms.append(
            format_html(
                '<form method="post" action="{}">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="printer" value="{}">'
                '<input type="hidden" name="starts_at" value="{}">'
                '<button class="secondary slot" type="submit" data-starts-at="{}" '
                'data-ends-at="{}">{}<br><small>{}</small></button></form>',
                action,
                token,
                time.printers[0].pk,
                time.starts_at.isoformat(),
                int(time.starts_at.timestamp()),
                int(time.ends_at.timestamp()),
                label,
                free,
            )
        )
    return mark_safe("".join(forms))  # each part escaped by format_html
