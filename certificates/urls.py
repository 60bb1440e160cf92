from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("v/<str:public_id>/", views.verify, name="verify"),
    path("certificates/<str:public_id>/download/", views.download, name="download"),
]
