"""Public verification (no account): the page, the number form, « Vérifier un PDF », JSON.

Every look-up counts against the client address's rate limit (`certificates.ratelimit`);
past it the answer is HTTP 429 with a message. Unknown numbers get one generic answer.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from courses.shared_pages import page_shared

from .. import badges, selectors
from ..public_facts import public_facts, status_version_key
from ..ratelimit import VERIFY_LIMIT, verify_allowed
from ..serialise import certificate_public, linkedin_add_url
from ..verification import certificate_find, certificate_pdf_check


def _too_many(request, *, json: bool = False):
    message = _("Too many look-ups from your network. Wait a minute and try again.")
    if json:
        return JsonResponse({"error": "rate_limited", "message": message}, status=429)
    return render(request, "certificates/verify_limited.html", {"message": message}, status=429)


@require_GET
def verify(request, public_id: str):
    """The public page of a certificate: no query when its card is cached, and no session
    read for a visitor without a session cookie (an employer, most often). For such a
    visitor the page is the same for everyone: shared (`courses.shared_pages`) under the
    certificate's status version, until its expiry at most, its look-ups still counted."""
    if not verify_allowed(request):
        return _too_many(request)
    facts = public_facts(public_id=public_id)
    if facts is None:
        return render(request, "certificates/verify_unknown.html", status=404)
    context = {"facts": facts}
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    if anonymous:
        context["user"] = AnonymousUser()  # what base.html would otherwise read the session for
    elif request.user.is_authenticated and request.user.pk == facts.holder_id:
        certificate = selectors.certificate_by_public_id(public_id=public_id)
        context |= {"certificate": certificate, "linkedin_url": linkedin_add_url(certificate)}
    response = render(request, "certificates/verify.html", context)
    if anonymous:
        page_shared(
            response,
            versions=[status_version_key(public_id)],
            seconds=facts.fresh_seconds,
            limit=VERIFY_LIMIT,
        )
    return response


@require_GET
def verify_lookup(request):
    """The page where an employer types the number, or pastes the URL or its identifier."""
    typed = request.GET.get("code", "").strip()
    context = {"typed": typed[:300]}
    if typed:
        if not verify_allowed(request):
            return _too_many(request)
        certificate = certificate_find(typed=typed)
        if certificate is not None:
            return redirect(certificate)
        context["error"] = _(
            "No certificate matches this code. Check the code printed under the QR code."
        )
    return render(request, "certificates/verify_lookup.html", context, status=404 if typed else 200)


@require_GET
def verify_json(request, reference: str):
    """For programs: the certificate's public facts and status (schema in the README)."""
    if not verify_allowed(request):
        return _too_many(request, json=True)
    certificate = certificate_find(typed=reference)
    if certificate is None:
        return JsonResponse({"error": "not_found"}, status=404)
    return JsonResponse(certificate_public(certificate))


class _SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload past the limit, so a 100 MB file is never stored."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # the upload handlers must be set before CSRF reads the body; checked below
@require_http_methods(["GET", "POST"])
def verify_pdf(request):
    limit = settings.CERTIFICATES_VERIFY_PDF_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    request.upload_too_large = declared > limit + 10_000
    if request.upload_too_large:  # answered without reading the body at all
        return _pdf_too_large(request)
    request.upload_handlers.insert(0, _SizeLimitHandler(request, limit=limit))
    return _verify_pdf(request)


def _pdf_context() -> dict:
    return {"max_mb": settings.CERTIFICATES_VERIFY_PDF_MAX_BYTES // 1_000_000}


def _pdf_too_large(request):
    context = _pdf_context()
    context["error"] = _("This file is too large to be a certificate (at most %(mb)s MB).") % {
        "mb": context["max_mb"]
    }
    return render(request, "certificates/verify_pdf.html", context, status=413)


@csrf_protect
def _verify_pdf(request):
    context = _pdf_context()
    if request.method != "POST":
        return render(request, "certificates/verify_pdf.html", context)
    upload = request.FILES.get("pdf")  # reads the body, through the size limit
    if request.upload_too_large:
        return _pdf_too_large(request)
    if not verify_allowed(request):
        return _too_many(request)
    if upload is None:
        context["error"] = _("Choose the certificate's PDF file.")
        return render(request, "certificates/verify_pdf.html", context, status=400)
    result = certificate_pdf_check(data=upload.read())
    context["result"] = result
    status = {"genuine": 200, "not_pdf": 400}.get(result.verdict, 422)
    return render(request, "certificates/verify_pdf.html", context, status=status)


@require_GET
def badge(request, public_id: str):
    """The certificate as an Open Badges 3.0 credential (JWT-VC)."""
    if not verify_allowed(request):
        return _too_many(request, json=True)
    certificate = selectors.certificate_by_public_id(public_id=public_id)
    if certificate is None:
        return JsonResponse({"error": "not_found"}, status=404)
    token = badges.certificate_badge(certificate=certificate)
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.jwt"'
    return response


@require_GET
def badge_issuer(request):
    return JsonResponse(badges.issuer_profile())


@require_GET
def badge_status(request):
    response = HttpResponse(badges.revocation_list(), content_type="application/vc+jwt")
    response["Cache-Control"] = "max-age=60"
    return response
