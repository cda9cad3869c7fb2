"""Language selection: Arabic unless the visitor chose otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language; a government portal in the
region opens in Arabic and remembers an explicit choice (the language cookie) instead.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

_CODES = {code for code, _name in settings.LANGUAGES}


def language_for(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if request.path.startswith("/api/"):
        # A mobile app states the language its user chose in Accept-Language (first tag wins).
        header = request.headers.get("Accept-Language", "")
        chosen = header.split(",")[0].split(";")[0].strip().lower()[:2]
    return chosen if chosen in _CODES else settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(self), geolocation=(self)"
        )
        return response
