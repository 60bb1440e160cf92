"""Content Security Policy: strict on Atelier's pages, looser only where Wagtail needs it.

Atelier's own templates have no inline script, style or event handler, so the site's
policy (CONTENT_SECURITY_POLICY in lms/settings/base.py) allows scripts and styles from
the site itself only. The Wagtail admin (under
/admin/) still ships inline scripts and style attributes of its own: there, and only
there, 'unsafe-inline' is added for scripts and styles.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse

ADMIN_PREFIX = "/admin/"
ADMIN_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
    "frame-src": [SELF],
}


# What a view or decorator may set on a response to change its policy (django-csp).
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class AtelierCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the headers built once per kind of page (the site's,
    the admin's) and per settings, instead of on every response: identical headers, built
    by django-csp itself. A response with its own policy, a nonce, or DEBUG go the
    library's whole way."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: dict[bool, tuple] = {}

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        admin = request.path_info.startswith(ADMIN_PREFIX)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        policy_ro = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if (policy or {}).get("EXCLUDE_URL_PREFIXES") or (policy_ro or {}).get(
            "EXCLUDE_URL_PREFIXES"
        ):
            return super().process_response(request, response)
        built = self._built.get(admin)
        # The settings objects are kept with their headers: a policy changed (a test's
        # override) is another object, never mistaken for the one the headers came from.
        if built is None or built[0] is not policy or built[1] is not policy_ro:
            sample = super().process_response(request, HttpResponse())
            headers = {
                name: sample[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in sample
            }
            built = self._built[admin] = (policy, policy_ro, headers)
        headers = built[2]
        for name, value in headers.items():
            if name not in response:
                response[name] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
        return parts
