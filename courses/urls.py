from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("competencies/", views.competencies_mine, name="competencies"),
]
