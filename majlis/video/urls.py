from django.urls import path

from majlis.video.views import portal, staff

app_name = "video"

# Mounted at /<authority>/video/ under the `portal` namespace (config/urls.py).
portal_urlpatterns = [
    path("<str:public_id>/", portal.call, name="call"),
    path("<str:public_id>/config", portal.config, name="config"),
    path("<str:public_id>/start", portal.start, name="start"),
    path("<str:public_id>/end", portal.end, name="end"),
]
# Mounted at /staff/video/ under the `staff` namespace; staff with TOTP only (middleware).
staff_urlpatterns = [
    path("<str:public_id>/", staff.call, name="call"),
    path("<str:public_id>/config", staff.config, name="config"),
    path("<str:public_id>/end", staff.end, name="end"),
]
