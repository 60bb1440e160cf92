"""Instructors' screens: find a certificate, issue one by hand, revoke or renew, see history."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from .. import selectors, services
from ..forms import IssueByHandForm, ReasonForm
from ..models import Certificate


@permission_required("certificates.view_certificate", raise_exception=True)
def manage_list(request):
    query = request.GET.get("q", "").strip()
    certificates = Certificate.objects.select_related("holder")
    if query:
        certificates = certificates.filter(
            Q(holder_name__icontains=query)
            | Q(holder__email__icontains=query)
            | Q(code__iexact=query)
            | Q(course_title__icontains=query)
        )
    return render(
        request,
        "certificates/manage_list.html",
        {"certificates": certificates[:100], "query": query},
    )


@permission_required("certificates.issue_certificate", raise_exception=True)
def manage_issue(request):
    form = IssueByHandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue_by_hand(
                user=form.cleaned_data["user"],
                course=form.cleaned_data["course"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AtelierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Certificate issued."))
            return redirect("certificates:manage_detail", public_id=certificate.public_id)
    return render(
        request,
        "certificates/manage_issue.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _certificate(public_id: str) -> Certificate:
    certificate = selectors.certificate_by_public_id(public_id=public_id)
    if certificate is None:
        raise Http404
    return certificate


@permission_required("certificates.view_certificate", raise_exception=True)
def manage_detail(request, public_id: str, *, form=None, action: str = "", status: int = 200):
    certificate = _certificate(public_id)
    context = {
        "certificate": certificate,
        "events": selectors.certificate_events(certificate=certificate),
        "revoke_form": form if action == "revoke" else ReasonForm(prefix="revoke"),
        "renew_form": form if action == "renew" else ReasonForm(prefix="renew"),
        "can_change": request.user.has_perm("certificates.revoke_certificate"),
        "action_errors": form.non_field_errors() if form is not None else [],
    }
    return render(request, "certificates/manage_detail.html", context, status=status)


def _act(request, public_id: str, action: str, service, done: str):
    certificate = _certificate(public_id)
    form = ReasonForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            result = service(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except AtelierError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("certificates:manage_detail", public_id=result.public_id)
    return manage_detail(request, public_id, form=form, action=action, status=400)


@require_POST
@permission_required("certificates.revoke_certificate", raise_exception=True)
def manage_revoke(request, public_id: str):
    done = _("Certificate revoked.")
    return _act(request, public_id, "revoke", services.certificate_revoke, done)


@require_POST
@permission_required("certificates.revoke_certificate", raise_exception=True)
def manage_renew(request, public_id: str):
    return _act(request, public_id, "renew", services.certificate_renew, _("Certificate renewed."))
