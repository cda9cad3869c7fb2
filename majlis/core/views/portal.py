"""Site-wide pages: offline fallback, web-app manifest, service worker, health check."""

import json

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "core/offline.html")


@require_safe
@cache_control(public=True, max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The installable web app's manifest, in the visitor's language and direction."""
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    data = {
        "name": _("Majlis citizen services"),
        "short_name": _("Majlis"),
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#6c4527",
        "icons": [
            {"src": static("majlis/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("majlis/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("majlis/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so its scope is the whole site; caches only the offline page."""
    response = render(
        request,
        "core/sw.js",
        {"offline_url": "/offline/", "css_url": static("majlis/css/app.css")},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the CI smoke test: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})
