"""Content Security Policy: strict on Atelier's pages, looser only where Wagtail needs it.

Atelier's own templates have no inline script, style or event handler, so the site's
policy (CONTENT_SECURITY_POLICY in lms/settings/base.py) allows scripts and styles from
the site itself only. The Wagtail admin (under
/admin/) still ships inline scripts and style attributes of its own: there, and only
there, 'unsafe-inline' is added for scripts and styles.
"""

from csp.constants import HEADER, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIX = "/admin/"
ADMIN_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
    "frame-src": [SELF],
}


class AtelierCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        # A response that brings a policy of its own (the live status of a print: JSON
        # that may load nothing, `default-src 'none'`) keeps it as it is, without the cost
        # of building the site's policy, which django-csp builds before looking.
        if HEADER in response and not getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
        ):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
        return parts
