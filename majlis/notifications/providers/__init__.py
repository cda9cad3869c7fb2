"""The provider configured for each channel (one setting each; the console is the default)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from majlis.notifications.providers.base import Provider

_PROVIDERS = {
    "console": "majlis.notifications.providers.console.ConsoleProvider",
    "kannel": "majlis.notifications.providers.kannel.KannelProvider",
    "smtp": "majlis.notifications.providers.smtp.SmtpProvider",
    "twilio": "majlis.notifications.providers.twilio.TwilioProvider",
    "webpush": "majlis.notifications.providers.webpush.WebPushProvider",
}


@cache
def _load(name: str) -> Provider:
    provider: Provider = import_string(_PROVIDERS[name])()
    return provider


def provider_for(channel: str) -> Provider:
    name = {
        "sms": settings.SMS_PROVIDER,
        "email": settings.EMAIL_PROVIDER,
        "push": settings.PUSH_PROVIDER,
    }[channel]
    return _load(name)
