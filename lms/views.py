"""The trainee's dashboard: courses with progress, bookings, prints, certificates."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from certificates.selectors import certificates_of
from courses.selectors import course_outlines_of
from practicals.selectors import attempts_of, bookings_upcoming


@login_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "lms/dashboard.html",
        {
            "outlines": course_outlines_of(user=user),
            "bookings": bookings_upcoming(user=user),
            "attempts": attempts_of(user=user),
            "certificates": certificates_of(user=user),
            "can_grade": user.has_perm("practicals.grade_printattempt"),
        },
    )
