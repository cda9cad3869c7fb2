"""What every provider implements, and how it reports failure."""

from dataclasses import dataclass
from typing import Protocol


class TemporaryFailure(Exception):
    """The provider could not take the message now; trying again later may work."""


class PermanentFailure(Exception):
    """The provider refused the message for good (bad number, blocked, rejected content)."""


@dataclass(frozen=True)
class Outbound:
    """What a provider needs to send one message."""

    public_id: str
    channel: str
    recipient: str
    subject: str
    body: str
    language: str
    sensitive: bool


@dataclass(frozen=True)
class Accepted:
    """The provider took the message; `delivered` when it also confirmed delivery at once."""

    provider_message_id: str = ""
    delivered: bool = False


class Provider(Protocol):
    name: str

    def send(self, message: Outbound) -> Accepted: ...
