"""The console provider: the default, shipped for demos, development and tests.

Nothing leaves the machine. The message table is the outbox (admins read it on the outbox page in
the embedded profile), and the embedded profile also prints each message to the terminal, where a
tester reads a sign-in code. Magic recipients exercise every outcome:

- a phone number ending in 0000400, or an address starting with ``fail-permanent@``: refused;
- a phone number ending in 0000500, or an address starting with ``fail-temporary@``: a temporary
  failure, every time (so retries and back-off can be watched);
- anything else: sent and delivered at once.
"""

import sys

from django.conf import settings

from majlis.notifications.providers.base import (
    Accepted,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)

PERMANENT_SUFFIX = "0000400"
TEMPORARY_SUFFIX = "0000500"


class ConsoleProvider:
    name = "console"

    def send(self, message: Outbound) -> Accepted:
        recipient = message.recipient
        if recipient.endswith(PERMANENT_SUFFIX) or recipient.startswith("fail-permanent@"):
            raise PermanentFailure("console: magic recipient for a permanent failure")
        if recipient.endswith(TEMPORARY_SUFFIX) or recipient.startswith("fail-temporary@"):
            raise TemporaryFailure("console: magic recipient for a temporary failure")
        if settings.EMBEDDED and settings.NOTIFICATIONS_CONSOLE_ECHO:
            # The terminal of `make run`, not the log: codes must never reach log files.
            sys.stdout.write(
                f"[{message.channel} to {recipient}] {message.subject} {message.body}\n".replace(
                    "  ", " "
                )
            )
            sys.stdout.flush()
        return Accepted(provider_message_id=f"console-{message.public_id}", delivered=True)
