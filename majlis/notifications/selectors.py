"""Reads of the notifications domain."""

from typing import Any

from majlis.notifications.choices import Channel, PreferredChannel
from majlis.notifications.models import ContactPreference, PushSubscription


def channels_available(user: Any) -> list[PreferredChannel]:
    """The channels that can reach this person now (push once a device has subscribed)."""
    available = []
    if getattr(user, "phone", ""):
        available.append(PreferredChannel.SMS)
    if getattr(user, "email", ""):
        available.append(PreferredChannel.EMAIL)
    if user.pk and PushSubscription.objects.filter(user_id=user.pk).exists():
        available.append(PreferredChannel.PUSH)
    return available


def preferred_channel_get(user: Any) -> Channel | None:
    """The channel to use for this person: their choice when it can reach them, else SMS, else
    e-mail; None when nothing can."""
    available = channels_available(user)
    chosen = (
        ContactPreference.objects.filter(user_id=user.pk).values_list("channel", flat=True).first()
    )
    if chosen in available:
        return Channel(chosen)
    return Channel(available[0]) if available else None
