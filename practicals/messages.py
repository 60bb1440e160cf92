"""Messages kept for later display, stored as a code with parameters.

A worker writes `("printer_error", {"detail": "Thermal runaway"})`, never a sentence in its
own language: the page renders the code in the reader's language when it is shown. The
parameters hold only what cannot be translated (OctoPrint's own words, a URL, a number).
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Sending and following.
    "printer_unreachable": _("The printer cannot be reached."),
    "printer_refused": _("The printer refused the print: %(detail)s"),
    "printer_busy": _("The printer is already printing."),
    "printer_error": _("The printer reported an error: %(detail)s"),
    "printer_error_unknown": _("The printer reported an error."),
    "printer_lost_job": _(
        "The printer came back without this print (it had no job, or another file): "
        "the print is over."
    ),
    "printer_interrupted": _(
        "The printer stopped answering during the print. Atelier keeps trying to reach it."
    ),
    "printer_back": _("The printer answers again and is still printing this file."),
    "print_lost": _("Atelier lost track of this print: the printer did not report its end."),
    "cancel_closed": _("Cancelled while the printer could not run this print any more."),
    "graded": _("Graded by an instructor."),
    "regraded": _("Grade corrected by an instructor."),
    # Before the codes existed, messages were stored as text in the worker's language.
    "text": "%(text)s",
}


def message_render(code: str, params: dict | None = None) -> str:
    """The message in the active language; an unknown code is shown as is, never an error."""
    if not code:
        return ""
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % (params or {})
    except (KeyError, TypeError, ValueError):
        return str(template)
