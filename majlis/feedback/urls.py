from django.urls import path

from majlis.feedback.views import portal

app_name = "feedback"

# Mounted at /<authority>/feedback/ under the `portal` namespace (config/urls.py).
portal_urlpatterns = [
    path("tickets/<str:public_id>/", portal.rate, name="rate"),
    path("requests/<str:reference>/", portal.case_rating, name="case_rating"),
]
