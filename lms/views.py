"""The trainee's dashboard: courses with their next step, sessions, grades, competencies,
certificates (assembled in `lms.dashboard`)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .dashboard import dashboard_context


@login_required
def dashboard(request):
    return render(request, "lms/dashboard.html", dashboard_context(user=request.user))
