from django.urls import include, path

from . import views

app_name = "practicals"
urlpatterns = [
    path("<int:practical_id>/book/", views.booking_create, name="booking_create"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking"),
    path("bookings/<int:booking_id>/booking.ics", views.booking_ics, name="booking_ics"),
    path("calendar/", views.calendar_feed_manage, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("bookings/<int:booking_id>/move/", views.booking_move, name="booking_move"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:booking_id>/print/", views.attempt_create, name="attempt_create"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/status/", views.attempt_status, name="attempt_status"),
    path("attempts/<int:attempt_id>/chart.svg", views.attempt_chart, name="attempt_chart"),
    path("attempts/<int:attempt_id>/cancel/", views.attempt_cancel, name="attempt_cancel"),
    path("attempts/<int:attempt_id>/grade/", views.attempt_grade, name="attempt_grade"),
    path("cohorts/", include("practicals.cohorts.urls")),
    path("grading/", views.grading_queue, name="grading_queue"),
]
