"""`{% course_certificate course %}`: the course page's certificate box (what is missing)."""

from django import template

from courses.selectors import course_outline as course_outline_get

from ..missing import course_certificate_box

register = template.Library()


@register.inclusion_tag("certificates/_course_certificate.html", takes_context=True)
def course_certificate(context, course):
    request = context["request"]
    # The trainee's outline as the course page read it (`CoursePage.get_context`): its
    # statuses are not read again.
    course_outline = context.get("outline")
    if course_outline is None or course_outline.course.pk != course.pk:
        course_outline = course_outline_get(course=course, user=request.user)
    return course_certificate_box(user=request.user, course=course, course_outline=course_outline)
