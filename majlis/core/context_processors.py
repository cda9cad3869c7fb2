"""What every page's shell needs: the other language, the authority being shown."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def shell(request: HttpRequest) -> dict[str, Any]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if language == "ar" else "ar"
    return {
        "other_language": other,
        "other_language_name": "English" if other == "en" else "العربية",
        "demo_logins_visible": settings.DEMO_LOGINS_VISIBLE,
    }
