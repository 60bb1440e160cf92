from django.utils.translation import gettext_lazy as _

from courses.exceptions import AtelierError


class NotEligible(AtelierError):
    status = 409
    default_message = _("Not every requirement of the course is met yet.")


class CertificateAlreadyValid(AtelierError):
    status = 409
    default_message = _("This trainee already holds a valid certificate for this course.")


class CertificateRevoked(AtelierError):
    status = 409
    default_message = _(
        "This trainee's certificate was revoked: only an instructor can issue a new one."
    )


class IllegalCertificateMove(AtelierError):
    status = 409
    default_message = _("This certificate cannot change that way.")


class ReasonRequired(AtelierError):
    status = 400
    default_message = _("Give a reason: it is kept in the certificate's history.")


class NotAllowed(AtelierError):
    status = 403
    default_message = _("You are not allowed to do this.")
