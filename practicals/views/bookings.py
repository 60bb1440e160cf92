"""Booking a practical: book, see, move and cancel a slot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import selectors, services
from ..forms import BookingForm, GcodeUploadForm
from ..models import Booking, PracticalPage, Printer


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
        booking = services.booking_create_at_farm(
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
    return render(
        request,
        "practicals/booking_move.html",
        {
            "booking": booking,
            "slots": selectors.slots_by_day(
                practical=booking.practical, **selectors.slot_choice(request.GET)
            ),
            "action": request.path,
        },
    )


@login_required
@require_POST
def booking_cancel(request, booking_id: int):
    booking = _own_booking(request, booking_id)
    services.booking_cancel(user=request.user, booking=booking)
    messages.success(request, _("Your booking is cancelled."))
    return redirect(booking.practical.url)
