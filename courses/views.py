"""Thin views: each reads the request, calls one service and redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .exceptions import AtelierError
from .models import CoursePage, LessonPage
from .selectors import step_neighbours


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except AtelierError as error:
        messages.error(request, error.message)
        return redirect(course.url)
    messages.success(request, _("You are enrolled. Welcome!"))
    return redirect(course.url)


@login_required
@require_POST
def lesson_done(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    services.lesson_complete(user=request.user, lesson=lesson)
    _previous, following = step_neighbours(step=lesson)
    return redirect(following.url if following else lesson.course().url)


@login_required
def competencies_mine(request):
    """« Mes compétences »: every competency of the trainee's courses, with its state."""
    from django.template.response import TemplateResponse

    from .competencies import competency_states

    return TemplateResponse(
        request, "courses/competencies.html", {"states": competency_states(user=request.user)}
    )
