"""Start-up checks: a production site on the console providers sends nothing for real."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def console_providers_in_production(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.EMBEDDED:
        return []
    warnings = []
    if settings.SMS_PROVIDER == "console":
        warnings.append(
            Warning(
                "SMS_PROVIDER is 'console' in production: no SMS leaves this server, yet "
                "messages are marked delivered.",
                hint="Set SMS_PROVIDER=kannel and its KANNEL_* settings.",
                id="notifications.W001",
            )
        )
    if settings.EMAIL_PROVIDER == "console":
        warnings.append(
            Warning(
                "EMAIL_PROVIDER is 'console' in production: no e-mail leaves this server.",
                hint="Set EMAIL_PROVIDER=smtp and EMAIL_HOST.",
                id="notifications.W002",
            )
        )
    return warnings
