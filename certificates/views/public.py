"""Public verification of a certificate (no account needed)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors


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
