"""The holder's own files: the signed PDF, in the certificate's language or the other one."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .. import selectors, services


@login_required
@require_GET
def download(request, public_id: str):
    certificate = selectors.certificate_by_public_id(public_id=public_id)
    if certificate is None or certificate.holder_id != request.user.pk or not certificate.pdf:
        raise Http404
    language = request.GET.get("lang") or certificate.language
    if language not in dict(settings.LANGUAGES):
        raise Http404
    file = services.certificate_pdf_in(certificate=certificate, language=language)
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"certificat-{certificate.code}-{language}.pdf",
        content_type="application/pdf",
    )
