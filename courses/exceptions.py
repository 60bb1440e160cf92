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


class QuizUnavailable(AtelierError):
    status = 400
    default_message = _("This quiz has no questions yet.")


class AttemptLimitReached(AtelierError):
    status = 403
    default_message = _("You have used every attempt this quiz allows.")


class AttemptTooEarly(AtelierError):
    status = 409
    default_message = _("Please wait before your next attempt.")


class AttemptNotFound(AtelierError):
    status = 404
    default_message = _("This attempt does not exist.")


class AttemptAlreadySubmitted(AtelierError):
    status = 409
    default_message = _("This attempt has already been submitted: start a new one.")


class IncompleteAnswers(AtelierError):
    status = 400
    default_message = _("Please answer every question.")


class StepLocked(AtelierError):
    status = 403
    default_message = _("This step opens once the steps before it are complete.")


class PrerequisitesMissing(AtelierError):
    status = 403
    default_message = _("Complete the prerequisite courses first.")

    def __init__(self, message=None, *, missing=()):
        super().__init__(message)
        self.missing = list(missing)  # the prerequisite courses not yet complete
