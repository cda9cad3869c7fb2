from channels.auth import AuthMiddlewareStack
from django.urls import path

from majlis.video import consumers

# The call's participants are recognised by their session (or the guest's), so this route loads
# it; the public queue feed does not.
websocket_urlpatterns = [
    path("ws/calls/<str:public_id>/", AuthMiddlewareStack(consumers.CallConsumer.as_asgi())),
]
