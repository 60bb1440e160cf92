from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("<int:pk>/", views.cohort_detail, name="detail"),
    path("<int:pk>/invite/", views.cohort_invite, name="invite"),
    path("<int:pk>/import/", views.cohort_import, name="import"),
    path("<int:pk>/export.csv", views.cohort_export, {"fmt": "csv"}, name="export_csv"),
    path("<int:pk>/export.xlsx", views.cohort_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
