"""Farms, printers, practical pages, bookings and print attempts.

`Booking` and `PrintAttempt` change state only through `practicals.services`, which
checks the allowed transitions and writes a history row for every change. One module per
concern; everything is re-exported here so that `practicals.models.X` keeps working.
"""

from .booking import Booking, BookingEvent, CalendarFeed
from .cohorts import Cohort
from .farms import (
    Closure,
    Farm,
    Material,
    OpeningHours,
    Printer,
    api_key_validator,
    validate_timezone,
)
from .grading import (
    Assessment,
    AssessmentPhoto,
    BedClearance,
    CheckKind,
    PracticalCheck,
    RubricCriterion,
)
from .maintenance import Downtime, PrinterService, downtimes_overlapping, printers_in_service
from .notifications import BookingMail
from .pages import PracticalPage
from .printing import TERMINAL_STATES, AttemptEvent, PrintAttempt, gcode_upload_to
from .telemetry import AttemptTelemetry, PrinterLease

__all__ = [
    "Assessment",
    "AssessmentPhoto",
    "BedClearance",
    "CheckKind",
    "PracticalCheck",
    "RubricCriterion",
    "TERMINAL_STATES",
    "AttemptEvent",
    "AttemptTelemetry",
    "Booking",
    "BookingEvent",
    "BookingMail",
    "CalendarFeed",
    "Closure",
    "Cohort",
    "Downtime",
    "Farm",
    "Material",
    "OpeningHours",
    "PracticalPage",
    "PrintAttempt",
    "Printer",
    "PrinterLease",
    "PrinterService",
    "api_key_validator",
    "downtimes_overlapping",
    "gcode_upload_to",
    "printers_in_service",
    "validate_timezone",
]
