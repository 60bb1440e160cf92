"""Instructor pages of cohorts (outside the Wagtail admin): list, grid, invite, export.

Every view finds the cohort through `cohorts_taught_by`: another instructor's cohort
answers 404, as if it did not exist.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.exceptions import AtelierError

from . import services
from .forms import ImportForm, InviteForm
from .progress import EXPORT_HEADER, cohort_export_rows, cohort_grid, cohort_inactive
from .selectors import cohorts_taught_by

DEFAULT_INACTIVE_DAYS = 7


def _cohort(request, pk: int):
    return get_object_or_404(cohorts_taught_by(user=request.user).select_related("farm"), pk=pk)


def _days(request) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_INACTIVE_DAYS))
    except ValueError:
        return DEFAULT_INACTIVE_DAYS
    return min(max(days, 1), 365)


@login_required
def cohort_list(request):
    cohorts = (
        cohorts_taught_by(user=request.user).select_related("farm").prefetch_related("courses")
    )
    return render(request, "practicals/cohorts/cohort_list.html", {"cohorts": cohorts})


@login_required
def cohort_detail(request, pk: int, import_form=None, rejected=None):
    cohort = _cohort(request, pk)
    days = _days(request)
    context = {
        "cohort": cohort,
        "grids": cohort_grid(cohort=cohort),
        "days": days,
        "inactive": cohort_inactive(cohort=cohort, days=days),
        "invite_form": InviteForm(),
        "import_form": import_form or ImportForm(),
        "rejected": rejected or [],
    }
    return render(request, "practicals/cohorts/cohort_detail.html", context)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_POST
def cohort_invite(request, pk: int):
    cohort = _cohort(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("practicals:cohorts:detail", pk=cohort.pk)
    try:
        user = services.cohort_invite(
            by=request.user,
            cohort=cohort,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            base_url=_base_url(request),
        )
    except AtelierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(email)s is invited.") % {"email": user.email})
    return redirect("practicals:cohorts:detail", pk=cohort.pk)


@login_required
@require_POST
def cohort_import(request, pk: int):
    cohort = _cohort(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("practicals:cohorts:detail", pk=cohort.pk)
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_CSV_BYTES:
        messages.error(request, _("The file is too large (1 MB at most)."))
        return redirect("practicals:cohorts:detail", pk=cohort.pk)
    try:
        users = services.cohort_import_csv(
            by=request.user, cohort=cohort, data=upload.read(), base_url=_base_url(request)
        )
    except services.CsvRefused as error:
        messages.error(request, error.message)
        response = cohort_detail(request, pk, import_form=form, rejected=error.rejected)
        response.status_code = 400
        return response
    except AtelierError as error:
        messages.error(request, error.message)
        return redirect("practicals:cohorts:detail", pk=cohort.pk)
    messages.success(request, _("%(count)s trainees invited.") % {"count": len(users)})
    return redirect("practicals:cohorts:detail", pk=cohort.pk)


def _filename(cohort, extension: str) -> str:
    return f"cohorte-{slugify(cohort.name) or cohort.pk}.{extension}"


@login_required
def cohort_export(request, pk: int, fmt: str):
    cohort = _cohort(request, pk)
    rows = cohort_export_rows(cohort=cohort)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(cohort, "csv")}"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cohorte"
    sheet.append(EXPORT_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(cohort, "xlsx")}"'
    return response
