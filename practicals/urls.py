from django.urls import include, path

from .views import attempts, board, bookings, calendar, grading, staff

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
    path(
        "attempts/<int:attempt_id>/status/<str:token>/",
        attempts.attempt_status,
        name="attempt_status",
    ),
    path("attempts/<int:attempt_id>/chart.svg", attempts.attempt_chart, name="attempt_chart"),
    path("attempts/<int:attempt_id>/cancel/", attempts.attempt_cancel, name="attempt_cancel"),
    path("attempts/<int:attempt_id>/grade/", grading.attempt_grade, name="attempt_grade"),
    path("photos/<int:photo_id>/", grading.assessment_photo, name="assessment_photo"),
    path("printers/<int:printer_id>/bed-clear/", grading.printer_bed_clear, name="bed_clear"),
    path("cohorts/", include("practicals.cohorts.urls")),
    path("grading/", grading.grading_queue, name="grading_queue"),
    path("farms/", board.board_index, name="farm_boards"),
    path("farms/<int:farm_id>/board/", board.board_page, name="farm_board"),
    path("farms/<int:farm_id>/board.json", board.board_status, name="farm_board_status"),
    path("farms/<int:farm_id>/schedule/", staff.farm_schedule, name="farm_schedule"),
    path("farms/<int:farm_id>/book/", staff.staff_booking_create, name="staff_booking_create"),
    path("farms/<int:farm_id>/unavailable/", staff.downtime_create, name="downtime_create"),
    path("unavailable/<int:downtime_id>/delete/", staff.downtime_delete, name="downtime_delete"),
    path(
        "printers/<int:printer_id>/serviced/",
        staff.printer_mark_serviced,
        name="printer_mark_serviced",
    ),
]
