from django.utils.translation import gettext_lazy as _

from courses.exceptions import AtelierError


class NotEligible(AtelierError):
    status = 409
    default_message = _("Not every requirement of the course is met yet.")
