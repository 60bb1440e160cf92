"""The application's base error, at the bottom of the house so every app can use it.

A domain exception carries a message a person can read (translatable) and the HTTP
status it maps to; `lms.errors` turns any of them into a response in one place.
"""

from django.utils.translation import gettext_lazy as _


class AtelierError(Exception):
    status = 400
    default_message = _("Something went wrong with your request.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class NotEnrolled(AtelierError):
    status = 403
    default_message = _("You are not enrolled in this course.")


class InvalidAnswer(AtelierError):
    status = 400
    default_message = _("This answer does not belong to this quiz.")
