"""Domain errors of practicals: booking, printing and grading."""

from django.utils.translation import gettext_lazy as _

from courses.exceptions import AtelierError


class SlotTaken(AtelierError):
    status = 409
    default_message = _("This slot was just taken. Please choose another one.")


class PrerequisitesNotMet(AtelierError):
    status = 403
    default_message = _("Finish the lessons before this practical to book a printer.")


class NotYourSlot(AtelierError):
    status = 403
    default_message = _("You can only print during your own booked slot.")


class InvalidGcode(AtelierError):
    status = 400
    default_message = _("This file is not a G-code file.")


class PrinterUnavailable(AtelierError):
    status = 503
    default_message = _("The printer cannot be reached right now. Please try again in a moment.")


class IllegalTransition(AtelierError):
    status = 409
    default_message = _("This action is not possible in the current state.")


class NotFarmStaff(AtelierError):
    """Not a manager or instructor of that farm: answered as if it did not exist."""

    status = 404
    default_message = _("This page does not exist.")
