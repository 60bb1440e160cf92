"""Who sees which cohort: the one place where cohort scoping becomes querysets."""

from django.db.models import Q, QuerySet

from ..access import farms_staffed_by
from ..models import Cohort


def cohorts_administered_by(*, user) -> QuerySet[Cohort]:
    """Cohorts the user may author in the admin: those of the farms they staff."""
    if not user.is_authenticated or not user.is_active:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(farm__in=farms_staffed_by(user=user))


def cohorts_taught_by(*, user) -> QuerySet[Cohort]:
    """Cohorts whose trainees the user may follow: they teach it or manage its farm."""
    if not user.is_authenticated or not user.is_active:
        return Cohort.objects.none()
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(Q(instructors=user) | Q(farm__managers=user)).distinct()
