"""Certificate views: the holder's download, and public verification (no account)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors


@login_required
def download(request, public_id: str):
    certificate = selectors.certificate_by_public_id(public_id=public_id)
    if certificate is None or certificate.holder_id != request.user.pk or not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificat-{certificate.code}.pdf",
        content_type="application/pdf",
    )


@require_GET
def verify(request, public_id: str):
    certificate = selectors.certificate_by_public_id(public_id=public_id)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})


@require_GET
def verify_lookup(request):
    """The page where an employer types the code printed on a certificate."""
    typed = request.GET.get("code", "").strip()
    context = {"typed": typed}
    if typed:
        certificate = selectors.certificate_by_code(typed=typed)
        if certificate is not None:
            return redirect(certificate)
        context["error"] = _(
            "No certificate matches this code. Check the code printed under the QR code."
        )
    return render(request, "certificates/verify_lookup.html", context, status=404 if typed else 200)
