"""Who may see which farm: the one place where staff scoping becomes querysets.

A farm's managers manage it (its printers and bookings); its instructors teach and grade
there; superusers see every farm. Every admin screen and view of farms, printers and
bookings filters through these selectors, so a manager of one farm never sees another's.
"""

from django.db.models import Q, QuerySet

from .models import Booking, Farm, Printer


def farms_managed_by(*, user) -> QuerySet[Farm]:
    if not user.is_authenticated or not user.is_active:
        return Farm.objects.none()
    if user.is_superuser:
        return Farm.objects.all()
    return Farm.objects.filter(managers=user)


def farms_staffed_by(*, user) -> QuerySet[Farm]:
    """Farms where the user manages or teaches."""
    if not user.is_authenticated or not user.is_active:
        return Farm.objects.none()
    if user.is_superuser:
        return Farm.objects.all()
    return Farm.objects.filter(Q(managers=user) | Q(instructors=user)).distinct()


def printers_managed_by(*, user) -> QuerySet[Printer]:
    if user.is_superuser and user.is_active:
        return Printer.objects.all()
    return Printer.objects.filter(farm__in=farms_managed_by(user=user))


def bookings_managed_by(*, user) -> QuerySet[Booking]:
    """Bookings of the printers of the farms the user manages or teaches at."""
    if user.is_superuser and user.is_active:
        return Booking.objects.all()
    return Booking.objects.filter(printer__farm__in=farms_staffed_by(user=user))
