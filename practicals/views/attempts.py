"""Printing: start a print from a booking, follow it live, cancel it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import selectors, services
from ..chart import chart_lines
from ..exceptions import InvalidGcode
from ..forms import GcodeUploadForm
from ..messages import message_render
from ..models import TERMINAL_STATES, PrintAttempt
from ..models.printing import heating
from ..preflight import too_large_message
from ..preflight.upload import GcodeUploadHandler
from ..services.telemetry import attempt_series
from .bookings import _booking_context, _own_booking


@csrf_exempt  # checked below, once the upload handler is in place
@login_required
@require_POST
def attempt_create(request, booking_id: int):
    # The upload is streamed to a temporary file with a size limit (never into memory);
    # the handler must be set before anything reads the request body, CSRF included.
    request.upload_handlers = [GcodeUploadHandler(request)]
    return _attempt_create(request, booking_id)


@csrf_protect
def _attempt_create(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    form = GcodeUploadForm(request.POST, request.FILES)
    error = None
    if getattr(request, "gcode_upload_too_large", False):
        error = InvalidGcode(too_large_message())
    elif form.is_valid():
        upload = form.cleaned_data["gcode"]
        try:
            attempt = services.attempt_create(
                user=request.user, booking=booking, filename=upload.name, data=upload
            )
        except AtelierError as exc:
            error = exc
        else:
            return redirect("practicals:attempt", attempt_id=attempt.pk)
        finally:
            upload.close()  # a temporary file: closing deletes it
    context = _booking_context(booking, form=form if error is None else GcodeUploadForm())
    if error is not None:
        context["error"] = error.message
    return render(
        request,
        "practicals/booking_detail.html",
        context,
        status=error.status if error is not None else 400,
    )


def _visible_attempt(request, attempt_id: int) -> PrintAttempt:
    attempt = get_object_or_404(
        PrintAttempt.objects.select_related("printer__farm", "practical", "trainee"),
        pk=attempt_id,
    )
    if not selectors.attempt_visible_to(attempt=attempt, user=request.user):
        raise PermissionDenied
    return attempt


@login_required
def attempt_detail(request, attempt_id: int):
    attempt = _visible_attempt(request, attempt_id)
    return render(
        request,
        "practicals/attempt_detail.html",
        {
            "attempt": attempt,
            "events": attempt.events.all(),
            "assessments": attempt.assessments.select_related("grader").prefetch_related("photos"),
        },
    )


@login_required
def attempt_status(request, attempt_id: int):
    """What the attempt page polls every 2 s while the print runs: one query, no model, no
    template (the benchmark wants it close to a bare view)."""
    row = PrintAttempt.objects.filter(pk=attempt_id).values(*STATUS_FIELDS).first()
    if row is None:
        raise Http404
    if row["trainee_id"] != request.user.pk and not request.user.has_perm(
        "practicals.view_printattempt"
    ):
        raise PermissionDenied
    state = row["state"]
    finished = state in TERMINAL_STATES
    return JsonResponse(
        {
            "state": state,
            "state_label": str(PrintAttempt.State(state).label),
            "finished": finished,
            "heating": heating(
                state=state,
                readings=(
                    (row["nozzle_actual"], row["nozzle_target"]),
                    (row["bed_actual"], row["bed_target"]),
                ),
            ),
            "progress": row["progress"],
            "print_time_s": row["print_time_s"],
            "time_left_s": None if finished else row["time_left_s"],
            "nozzle": row["nozzle_actual"],
            "nozzle_target": row["nozzle_target"],
            "bed": row["bed_actual"],
            "bed_target": row["bed_target"],
            "printer_state": row["printer_state"],
            "message": message_render(row["message_code"], row["message_params"]),
        }
    )


STATUS_FIELDS = (
    "trainee_id",
    "state",
    "progress",
    "print_time_s",
    "time_left_s",
    "nozzle_actual",
    "nozzle_target",
    "bed_actual",
    "bed_target",
    "printer_state",
    "message_code",
    "message_params",
)


@login_required
def attempt_chart(request, attempt_id: int):
    """The attempt's temperatures against their targets, as an SVG image."""
    attempt = _visible_attempt(request, attempt_id)
    series = attempt_series(attempt_id=attempt.pk)
    response = render(
        request,
        "practicals/attempt_chart.svg.html",
        {"chart": chart_lines(series)},
        content_type="image/svg+xml",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def attempt_cancel(request, attempt_id: int):
    attempt = _visible_attempt(request, attempt_id)
    services.attempt_cancel(user=request.user, attempt=attempt)
    messages.info(request, _("Cancelling the print…"))
    return redirect("practicals:attempt", attempt_id=attempt.pk)
