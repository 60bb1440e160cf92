"""Printers seen from the admin: is this printer reachable, is its key accepted, is it ready?"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Printer
from ..octoprint import client


@dataclass(frozen=True)
class ConnectionTest:
    reachable: bool
    key_accepted: bool
    operational: bool
    state: str
    version: str
    message: str

    @property
    def ok(self) -> bool:
        return self.reachable and self.key_accepted and self.operational


def printer_connection_test(*, printer: Printer) -> ConnectionTest:
    """Ask the printer's OctoPrint, once, and say in words what works and what does not."""
    check = client.printer_check(url=printer.octoprint_url, api_key=printer.api_key)
    if not check.reachable:
        message = _("OctoPrint cannot be reached at %(url)s: check the address and the network.")
    elif not check.key_accepted:
        message = _("OctoPrint answers but refuses the API key: enter a new key.")
    elif check.state != "Operational":
        message = _(
            "OctoPrint answers and accepts the key, but the printer is not ready "
            "(state: %(state)s)."
        )
    else:
        message = _("Everything works: OctoPrint answers, accepts the key, the printer is ready.")
    return ConnectionTest(
        reachable=check.reachable,
        key_accepted=check.key_accepted,
        operational=check.state == "Operational",
        state=check.state,
        version=check.version,
        message=message % {"url": printer.octoprint_url, "state": check.state or "?"},
    )
