from django.urls import include, path

from .views import attempts, bookings, calendar, grading

app_name = "practicals"
urlpatterns = [
    path("<int:practical_id>/book/", bookings.booking_create, name="booking_create"),
    path("bookings/<int:booking_id>/", bookings.booking_detail, name="booking"),
    path("bookings/<int:booking_id>/booking.ics", calendar.booking_ics, name="booking_ics"),
    path("calendar/", calendar.calendar_feed_manage, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("bookings/<int:booking_id>/move/", bookings.booking_move, name="booking_move"),
    path("bookings/<int:booking_id>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/print/", attempts.attempt_create, name="attempt_create"),
    path("attempts/<int:attempt_id>/", attempts.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/status/", attempts.attempt_status, name="attempt_status"),
    path("attempts/<int:attempt_id>/chart.svg", attempts.attempt_chart, name="attempt_chart"),
    path("attempts/<int:attempt_id>/cancel/", attempts.attempt_cancel, name="attempt_cancel"),
    path("attempts/<int:attempt_id>/grade/", grading.attempt_grade, name="attempt_grade"),
    path("photos/<int:photo_id>/", grading.assessment_photo, name="assessment_photo"),
    path("printers/<int:printer_id>/bed-clear/", grading.printer_bed_clear, name="bed_clear"),
    path("cohorts/", include("practicals.cohorts.urls")),
    path("grading/", grading.grading_queue, name="grading_queue"),
]
