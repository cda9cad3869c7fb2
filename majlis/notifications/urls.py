from django.urls import path

from majlis.notifications.views import portal, push, webhooks

app_name = "notifications"

urlpatterns = [
    path("preferences/", portal.preferences, name="preferences"),
    path("push/subscribe/", push.subscribe, name="push_subscribe"),
    path("kannel/dlr/", webhooks.kannel_dlr, name="kannel_dlr"),
    path("kannel/inbound/", webhooks.kannel_inbound, name="kannel_inbound"),
    path("twilio/status/", webhooks.twilio_status, name="twilio_status"),
]
