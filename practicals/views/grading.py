"""Grading: the queue of prints to grade, the grading form, photos, the bed-clear action.

Instructors and managers see only the farms they staff: another farm's print, photo or
printer answers 404, whatever the URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import selectors
from ..access import farms_staffed_by
from ..grading.forms import AssessmentForm
from ..grading.photos import photo_too_large_message
from ..grading.upload import PhotoUploadHandler
from ..models import AssessmentPhoto, PrintAttempt, Printer
from ..services.assessment import assessment_create, attempt_checks, grader_may_grade
from ..services.bed import bed_clear_confirm, bed_waiting


@permission_required("practicals.grade_printattempt", raise_exception=True)
def grading_queue(request):
    printers = Printer.objects.filter(farm__in=farms_staffed_by(user=request.user)).select_related(
        "farm"
    )
    waiting = [(p, w) for p in printers if (w := bed_waiting(printer=p)) is not None]
    return render(
        request,
        "practicals/grading_queue.html",
        {"attempts": selectors.attempts_to_grade(user=request.user), "beds": waiting},
    )


def _gradable(request, attempt_id: int) -> PrintAttempt:
    attempt = get_object_or_404(
        PrintAttempt.objects.select_related("printer__farm", "practical", "trainee"),
        pk=attempt_id,
    )
    if not grader_may_grade(grader=request.user, attempt=attempt):
        raise Http404
    return attempt


@csrf_exempt  # checked below, once the upload handler is in place
@permission_required("practicals.grade_printattempt", raise_exception=True)
def attempt_grade(request, attempt_id: int):
    # Photos are streamed to disk with a limit per photo; the handler must be set before
    # anything reads the request body, CSRF included.
    request.upload_handlers = [PhotoUploadHandler(request)]
    return _attempt_grade(request, attempt_id)


@csrf_protect
def _attempt_grade(request, attempt_id: int):
    attempt = _gradable(request, attempt_id)
    criteria = list(attempt.practical.rubric_criteria.select_related("competency"))
    waiting = bed_waiting(printer=attempt.printer) == attempt
    form = AssessmentForm(
        request.POST or None, request.FILES or None, criteria=criteria, bed_waiting=waiting
    )
    status = 200
    if request.method == "POST":
        too_large = getattr(request, "photos_too_large", [])
        if too_large:
            form.is_valid()
            for name in too_large:
                form.add_error(None, photo_too_large_message(name))
            status = 400
        elif form.is_valid():
            try:
                assessment = assessment_create(
                    grader=request.user,
                    attempt=attempt,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                    photos=form.cleaned_data["photos"],
                    bed_clear=form.cleaned_data.get("bed_clear", False),
                )
            except AtelierError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                if assessment.passed:
                    messages.success(request, _("Grade saved: passed."))
                else:
                    messages.success(request, _("Grade saved: failed."))
                return redirect("practicals:grading_queue")
        else:
            status = 400
    return render(
        request,
        "practicals/attempt_grade.html",
        {
            "attempt": attempt,
            "form": form,
            "checks": attempt_checks(attempt),
            "assessments": attempt.assessments.select_related("grader").prefetch_related("photos"),
            "events": attempt.events.all(),
        },
        status=status,
    )


@login_required
def assessment_photo(request, photo_id: int):
    """A photo of an assessment, for the trainee of the print and the farm's staff only."""
    photo = get_object_or_404(
        AssessmentPhoto.objects.select_related("assessment__attempt__printer"), pk=photo_id
    )
    attempt = photo.assessment.attempt
    if attempt.trainee_id != request.user.pk and not grader_may_grade(
        grader=request.user, attempt=attempt
    ):
        raise Http404
    try:
        file = photo.image.open("rb")
    except OSError:  # the file is gone from the storage
        raise Http404 from None
    response = FileResponse(file, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def printer_bed_clear(request, printer_id: int):
    """Farm staff confirm that a printer's bed is clear after its last print."""
    printer = get_object_or_404(
        Printer.objects.filter(farm__in=farms_staffed_by(user=request.user)), pk=printer_id
    )
    if bed_clear_confirm(user=request.user, printer=printer) is None:
        messages.info(
            request,
            _("Nothing to confirm: the bed of %(printer)s is clear.") % {"printer": printer.name},
        )
    else:
        messages.success(
            request, _("Bed of %(printer)s confirmed clear.") % {"printer": printer.name}
        )
    return redirect("practicals:grading_queue")
