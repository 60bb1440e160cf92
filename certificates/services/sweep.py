"""The periodic sweep (Celery beat): what a lost task or a failed e-mail left undone.

Finds enrolments that earned a certificate nobody issued, certificates that expired, and
e-mails not sent yet. It only enqueues tasks, which are idempotent, so running the sweep
twice, or beside a normal task, issues nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.models import Enrolment

from ..eligibility import certificate_eligibility
from ..models import Certificate

# An issue or e-mail task normally runs within seconds: older than this, it was lost.
LOST_AFTER = dt.timedelta(minutes=5)


@dataclass
class SweepWork:
    enrolments: list[tuple[int, int]]  # (user id, course id) that earned one
    expired: list[int]  # certificate ids
    unnotified: list[int]  # certificate ids


def certificates_sweep(*, now: dt.datetime | None = None) -> SweepWork:
    """What the sweep task must enqueue (read-only; the tasks do the writing)."""
    now = now or timezone.now()
    any_certificate = Certificate.objects.filter(holder=OuterRef("user"), course=OuterRef("course"))
    enrolments = (
        Enrolment.objects.annotate(has_certificate=Exists(any_certificate))
        .filter(has_certificate=False)
        .select_related("user", "course")
    )
    due = [
        (e.user_id, e.course_id)
        for e in enrolments
        if certificate_eligibility(user=e.user, course=e.course).eligible
    ]
    expired = Certificate.objects.filter(
        status=Certificate.Status.VALID, expires_at__lte=now
    ).values_list("pk", flat=True)
    unnotified = Certificate.objects.filter(
        notified_at__isnull=True, issued_at__lte=now - LOST_AFTER
    ).values_list("pk", flat=True)
    return SweepWork(enrolments=due, expired=list(expired), unnotified=list(unnotified))
