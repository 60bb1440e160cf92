"""Printing: start a print from a booking, follow it live, cancel it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import selectors, services
from ..chart import chart_lines
from ..exceptions import InvalidGcode
from ..forms import GcodeUploadForm
from ..models import PrintAttempt
from ..preflight import too_large_message
from ..preflight.upload import GcodeUploadHandler
from ..services.telemetry import attempt_series
from ..status import Token, attempt_status_read, status_token_check
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


def sessionless(view):
    """Marks a view that reads neither the session nor the user: middleware that would
    load them for every request (lms.accounts.second_factor) leaves it alone."""
    view.sessionless = True
    return view


@sessionless
def attempt_status(request, attempt_id: int, token: str):
    """What the attempt page polls every 2 s while the print runs: a capability URL
    (practicals/status.py), checked by its signed token only: no session, no user, one
    plain query, no model, no template (the benchmark wants it close to a bare view)."""
    verdict = status_token_check(token=token, attempt_id=attempt_id)
    if verdict is Token.EXPIRED:  # the page's script reloads the page: a fresh token
        return _status_response({"expired": True}, status=410)
    status = attempt_status_read(attempt_id=attempt_id) if verdict is Token.VALID else None
    if status is None:  # a plain answer: an error page would load the user
        return _status_response({"found": False}, status=404)
    return _status_response(status)


def _status_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"  # a capability URL: no shared cache keeps it
    # JSON that may load nothing: a policy of its own (lms/csp.py then leaves it as is).
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    return response


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
