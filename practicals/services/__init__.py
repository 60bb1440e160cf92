"""Business rules of practicals: booking a slot, printing, grading.

Views and Celery tasks call these functions and nothing else writes bookings or attempts.
"""

from .booking import booking_cancel, booking_create
from .grading import attempt_grade
from .printing import (
    attempt_cancel,
    attempt_create,
    attempt_follow,
    attempt_send,
    attempts_orphaned,
)

__all__ = [
    "attempt_cancel",
    "attempt_create",
    "attempt_follow",
    "attempt_grade",
    "attempt_send",
    "attempts_orphaned",
    "booking_cancel",
    "booking_create",
]
