from django.urls import path

from .views import holder, public, staff

app_name = "certificates"
urlpatterns = [
    path("verify/", public.verify_lookup, name="verify_lookup"),
    path("verify/pdf/", public.verify_pdf, name="verify_pdf"),
    path("v/<str:public_id>/", public.verify, name="verify"),
    path("v/<str:public_id>/badge.jwt", public.badge, name="badge"),
    path("badges/issuer/", public.badge_issuer, name="badge_issuer"),
    path("badges/status/", public.badge_status, name="badge_status"),
    path("api/certificates/<str:reference>/", public.verify_json, name="verify_json"),
    path("certificates/<str:public_id>/download/", holder.download, name="download"),
    path("certificates/manage/", staff.manage_list, name="manage_list"),
    path("certificates/manage/issue/", staff.manage_issue, name="manage_issue"),
    path("certificates/manage/<str:public_id>/", staff.manage_detail, name="manage_detail"),
    path("certificates/manage/<str:public_id>/revoke/", staff.manage_revoke, name="manage_revoke"),
    path("certificates/manage/<str:public_id>/renew/", staff.manage_renew, name="manage_renew"),
]
