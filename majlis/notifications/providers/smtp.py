"""E-mail over SMTP, through Django's mailer configured in MAILERS["default"].

The Message-ID carries our message id, so a resent copy after a worker crash is recognisable as
the same message by the receiving side.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from majlis.notifications.providers.base import (
    Accepted,
    Outbound,
    PermanentFailure,
    TemporaryFailure,
)


class SmtpProvider:
    name = "smtp"

    def send(self, message: Outbound) -> Accepted:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "majlis.local"
        message_id = f"<{message.public_id}@{domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id, "Content-Language": message.language},
        )
        try:
            email.send(using="default")
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"smtp: recipient refused ({codes[0]})") from exc
            raise TemporaryFailure(f"smtp: recipient deferred ({codes})") from exc
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(f"smtp: {exc.smtp_code}") from exc
            raise TemporaryFailure(f"smtp: {exc.smtp_code}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"smtp: {type(exc).__name__}") from exc
        return Accepted(provider_message_id=message_id)
