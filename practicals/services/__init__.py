"""Business rules of practicals: booking a slot, printing, following printers, grading.

Views and Celery tasks call these functions and nothing else writes bookings or attempts.
"""

from .booking import booking_cancel, booking_create, booking_create_at_farm, booking_move
from .calendar import calendar_feed_ensure, calendar_feed_revoke
from .following import printer_follow, printers_to_follow
from .grading import attempt_grade
from .liveness import printers_probe
from .maintenance import (
    downtime_create,
    downtime_delete,
    printer_mark_serviced,
    printer_usage,
    printer_withdrawn,
    printers_usage_check,
)
from .notifications import (
    booking_mail_send,
    booking_mails_unsent,
    booking_no_show,
    bookings_release_no_shows,
    bookings_remind,
)
from .printing import attempt_cancel, attempt_create, attempt_send, attempts_unsent

__all__ = [
    "booking_mail_send",
    "booking_mails_unsent",
    "booking_no_show",
    "bookings_release_no_shows",
    "bookings_remind",
    "downtime_create",
    "downtime_delete",
    "printer_mark_serviced",
    "printer_usage",
    "printer_withdrawn",
    "printers_usage_check",
    "attempt_cancel",
    "attempt_create",
    "attempt_grade",
    "attempt_send",
    "attempts_unsent",
    "booking_cancel",
    "booking_create",
    "booking_create_at_farm",
    "booking_move",
    "calendar_feed_ensure",
    "calendar_feed_revoke",
    "printer_follow",
    "printers_probe",
    "printers_to_follow",
]
