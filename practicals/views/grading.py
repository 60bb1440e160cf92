"""Grading: the queue of prints to grade and the grading form."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from courses.exceptions import AtelierError

from .. import selectors, services
from ..forms import GradeForm
from .attempts import _visible_attempt


@permission_required("practicals.grade_printattempt", raise_exception=True)
def grading_queue(request):
    return render(
        request, "practicals/grading_queue.html", {"attempts": selectors.attempts_to_grade()}
    )


@permission_required("practicals.grade_printattempt", raise_exception=True)
def attempt_grade(request, attempt_id: int):
    attempt = _visible_attempt(request, attempt_id)
    form = GradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attempt_grade(
                grader=request.user,
                attempt=attempt,
                passed=form.cleaned_data["passed"],
                comment=form.cleaned_data["comment"],
            )
        except AtelierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Grade saved."))
            return redirect("practicals:grading_queue")
    return render(
        request,
        "practicals/attempt_grade.html",
        {"attempt": attempt, "form": form, "events": attempt.events.all()},
        status=400 if form.errors else 200,
    )
