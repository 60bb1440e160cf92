"""`{% course_certificate course %}`: the course page's certificate box (what is missing)."""

from django import template

from ..selectors import course_certificate_status

register = template.Library()


@register.inclusion_tag("certificates/_course_certificate.html", takes_context=True)
def course_certificate(context, course):
    request = context["request"]
    return course_certificate_status(user=request.user, course=course)
