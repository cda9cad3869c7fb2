from django.urls import path

from majlis.queueing import consumers

# Public: served without the session middleware (config/asgi.py), so a page opening its socket
# costs no session or user query.
websocket_urlpatterns = [
    path("ws/queue/<slug:slug>/<str:prefix>/", consumers.branch_feed),  # type: ignore[arg-type]  # ASGI
]
