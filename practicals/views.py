"""Thin views of practicals: booking, printing, following an attempt, grading.

Domain errors raised by services become a translated message (here, when the page can
show it in place) or a response with their status (lms.middleware).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from . import selectors, services
from .calendar import calendar_ics
from .chart import chart_lines
from .exceptions import InvalidGcode
from .forms import BookingForm, GcodeUploadForm, GradeForm
from .messages import message_render
from .models import TERMINAL_STATES, Booking, CalendarFeed, PracticalPage, PrintAttempt, Printer
from .models.printing import heating
from .preflight import too_large_message
from .preflight.upload import GcodeUploadHandler
from .services.telemetry import attempt_series


@login_required
@require_POST
def booking_create(request, practical_id: int):
    practical = get_object_or_404(PracticalPage.objects.live(), pk=practical_id)
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a slot in the list."))
        return redirect(practical.url)
    printer = get_object_or_404(Printer, pk=form.cleaned_data["printer"])
    try:
        booking = services.booking_create(
            user=request.user,
            practical=practical,
            printer=printer,
            starts_at=form.cleaned_data["starts_at"],
        )
    except AtelierError as error:
        messages.error(request, error.message)
        return redirect(practical.url)
    messages.success(request, _("Your slot is booked."))
    return redirect("practicals:booking", booking_id=booking.pk)


def _own_booking(request, booking_id: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("printer__farm", "practical"), pk=booking_id
    )
    if booking.trainee_id != request.user.pk:
        raise PermissionDenied
    return booking


def _booking_context(booking: Booking, *, form=None) -> dict:
    return {
        "booking": booking,
        "under_way": booking.is_under_way(),
        "form": form or GcodeUploadForm(),
        "attempts": booking.attempts.all(),
    }


@login_required
def booking_detail(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    return render(request, "practicals/booking_detail.html", _booking_context(booking))


@login_required
def booking_move(request, booking_id: int):
    """GET: the slot picker for another slot; POST: move the booking there."""
    booking = _own_booking(request, booking_id)
    if request.method == "POST":
        form = BookingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a slot in the list."))
            return redirect("practicals:booking_move", booking_id=booking.pk)
        printer = get_object_or_404(Printer, pk=form.cleaned_data["printer"])
        try:
            services.booking_move(
                user=request.user,
                booking=booking,
                printer=printer,
                starts_at=form.cleaned_data["starts_at"],
            )
        except AtelierError as error:
            messages.error(request, error.message)
            return redirect("practicals:booking_move", booking_id=booking.pk)
        messages.success(request, _("Your booking is moved."))
        return redirect("practicals:booking", booking_id=booking.pk)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    return render(
        request,
        "practicals/booking_move.html",
        {
            "booking": booking,
            "slots": selectors.slots_by_day(practical=booking.practical, day=day),
            "action": request.path,
        },
    )


@login_required
def booking_ics(request, booking_id: int):
    """The booking as an `.ics` file (the trainee's own only: 404 otherwise)."""
    booking = get_object_or_404(
        Booking.objects.select_related("printer__farm", "practical"),
        pk=booking_id,
        trainee=request.user,
    )
    response = HttpResponse(
        calendar_ics(bookings=[booking], name=booking.practical.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="atelier-{booking.pk}.ics"'
    return response


def calendar_feed(request, token: str):
    """A trainee's bookings at a secret URL, for calendar apps (no login: the token is the key).

    An unknown or revoked token answers 404, like any other trainee's feed.
    """
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    bookings = (
        Booking.objects.filter(trainee=feed.user)
        .exclude(status=Booking.Status.CANCELLED, starts_at__lt=timezone.now())
        .select_related("printer__farm", "practical")
        .order_by("starts_at")[:200]
    )
    response = HttpResponse(
        calendar_ics(bookings=bookings, name=_("Atelier: my bookings")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_feed_manage(request):
    """GET: the trainee's private feed URL; POST: revoke it and make a new one."""
    if request.method == "POST":
        feed = services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("Your old calendar link no longer works. Here is the new one."))
        return redirect("practicals:calendar")
    feed = services.calendar_feed_ensure(user=request.user)
    url = request.build_absolute_uri(reverse("practicals:calendar_feed", args=[feed.token]))
    return render(request, "practicals/calendar.html", {"feed_url": url})


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    services.booking_cancel(user=request.user, booking=booking)
    messages.success(request, _("Your booking is cancelled."))
    return redirect(booking.practical.url)


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
        {"attempt": attempt, "events": attempt.events.all()},
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
