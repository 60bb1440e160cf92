"""Every write of certificates: versions and their statuses, the holder's e-mail, the sweep."""

from .notify import certificate_notify
from .sweep import certificates_sweep
from .versions import (
    TRANSITIONS,
    certificate_current,
    certificate_expire,
    certificate_issue,
    certificate_issue_by_hand,
    certificate_pdf_in,
    certificate_renew,
    certificate_revoke,
    certificate_template_of,
    certificates_name_update,
    months_later,
)

__all__ = [
    "TRANSITIONS",
    "certificate_current",
    "certificate_expire",
    "certificate_issue",
    "certificate_issue_by_hand",
    "certificate_notify",
    "certificate_pdf_in",
    "certificate_renew",
    "certificate_revoke",
    "certificate_template_of",
    "certificates_name_update",
    "certificates_sweep",
    "months_later",
]
