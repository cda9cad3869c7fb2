"""ASGI entry point: HTTP and WebSockets (uvicorn); each domain lists its socket routes."""

import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()


def build_application(http: Any = None) -> Any:
    """The protocol router; tests build one after changing settings that middleware reads once.

    Every socket is checked against ALLOWED_HOSTS (origin); each route adds the session only if
    it needs one (the video call does, the public queue feed does not: see their `routing.py`).
    """
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator

    from majlis.queueing import routing as queueing_routing
    from majlis.video import routing as video_routing

    websocket_urlpatterns = (
        queueing_routing.websocket_urlpatterns + video_routing.websocket_urlpatterns
    )
    return ProtocolTypeRouter(
        {
            "http": http or django_asgi_app,
            "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
        }
    )


application = build_application()
