"""Message texts: one template per kind and channel, rendered in the recipient's language."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_message(
    *, kind: str, channel: str, language: str, context: dict[str, Any]
) -> tuple[str, str]:
    """(subject, body). Subjects exist for e-mail and push; SMS has a body only."""
    with translation.override(language):
        body = render_to_string(f"notifications/{channel}/{kind}.txt", context).strip()
        subject = ""
        if channel != "sms":
            subject = " ".join(
                render_to_string(f"notifications/{channel}/{kind}_subject.txt", context).split()
            )
    return subject, body
