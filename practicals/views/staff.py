"""The farm staff's schedule: upcoming bookings and unavailable times of one farm; book for
a trainee, block time, open a maintenance window, mark a printer serviced.

Only the farm's managers and instructors (and superusers) reach these pages: anyone else
gets 404, as if the farm did not exist. Maintenance windows and services are the managers'.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import access, services
from ..exceptions import NotFarmStaff
from ..models import Booking, Downtime, Farm
from ..staff_forms import DowntimeForm, StaffBookingForm

UPCOMING_DAYS = 14


def _staffed_farm(request, farm_id: int) -> Farm:
    return get_object_or_404(access.farms_staffed_by(user=request.user), pk=farm_id)


def _manages(request, farm: Farm) -> bool:
    return access.farms_managed_by(user=request.user).filter(pk=farm.pk).exists()


def _schedule(request, farm: Farm, *, booking_form=None, downtime_form=None, status=200):
    now = timezone.now()
    manager = _manages(request, farm)
    kinds = list(Downtime.Kind.values) if manager else [Downtime.Kind.BLOCKED]
    printers = list(farm.printers.all())
    for printer in printers:
        printer.usage_hours, printer.usage_failures = services.printer_usage(printer=printer)
    context = {
        "farm": farm,
        "manager": manager,
        "printers": printers,
        "bookings": Booking.objects.filter(
            printer__farm=farm,
            status=Booking.Status.CONFIRMED,
            ends_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS),
        ).select_related("printer", "practical", "trainee", "booked_by"),
        "downtimes": Downtime.objects.filter(farm=farm, ends_at__gt=now).select_related("printer"),
        "booking_form": booking_form or StaffBookingForm(farm=farm),
        "downtime_form": downtime_form or DowntimeForm(farm=farm, kinds=kinds),
    }
    with timezone.override(farm.tzinfo):
        return render(request, "practicals/farm_schedule.html", context, status=status)


@login_required
def farm_schedule(request, farm_id: int):
    return _schedule(request, _staffed_farm(request, farm_id))


@login_required
@require_POST
def staff_booking_create(request, farm_id: int):
    farm = _staffed_farm(request, farm_id)
    form = StaffBookingForm(request.POST, farm=farm)
    with timezone.override(farm.tzinfo):
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                user=data["trainee"],
                practical=data["practical"],
                printer=data["printer"],
                starts_at=data["starts_at"],
                by=request.user,
            )
        except NotFarmStaff:
            raise Http404 from None
        except AtelierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Booked for %(trainee)s: they will get a confirmation e-mail.")
                % {"trainee": booking.trainee},
            )
            return redirect("practicals:farm_schedule", farm_id=farm.pk)
    return _schedule(request, farm, booking_form=form, status=400)


@login_required
@require_POST
def downtime_create(request, farm_id: int):
    farm = _staffed_farm(request, farm_id)
    manager = _manages(request, farm)
    kinds = list(Downtime.Kind.values) if manager else [Downtime.Kind.BLOCKED]
    form = DowntimeForm(request.POST, farm=farm, kinds=kinds)
    with timezone.override(farm.tzinfo):
        valid = form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            result = services.downtime_create(
                by=request.user,
                farm=farm,
                printer=data["printer"],
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except NotFarmStaff:
            raise Http404 from None
        except AtelierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Saved. Bookings moved: %(moved)d; cancelled: %(cancelled)d; "
                    "left alone (print started): %(kept)d."
                )
                % {
                    "moved": len(result.moved),
                    "cancelled": len(result.cancelled),
                    "kept": len(result.kept),
                },
            )
            return redirect("practicals:farm_schedule", farm_id=farm.pk)
    return _schedule(request, farm, downtime_form=form, status=400)


@login_required
@require_POST
def printer_mark_serviced(request, printer_id: int):
    printer = get_object_or_404(access.printers_managed_by(user=request.user), pk=printer_id)
    services.printer_mark_serviced(by=request.user, printer=printer)
    messages.success(request, _("%(printer)s is marked serviced.") % {"printer": printer.name})
    return redirect("practicals:farm_schedule", farm_id=printer.farm_id)


@login_required
@require_POST
def downtime_delete(request, downtime_id: int):
    downtime = get_object_or_404(
        Downtime.objects.filter(farm__in=access.farms_staffed_by(user=request.user)),
        pk=downtime_id,
    )
    try:
        services.downtime_delete(by=request.user, downtime=downtime)
    except NotFarmStaff:
        raise Http404 from None
    messages.success(request, _("The time is free again."))
    return redirect("practicals:farm_schedule", farm_id=downtime.farm_id)
