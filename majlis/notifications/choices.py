from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Web push")


class MessageStatus(models.TextChoices):
    """A message's lifecycle: created → queued → sending → sent → delivered, or a failure."""

    CREATED = "created", _("Created")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    TEMPORARY_FAILURE = "temporary_failure", _("Temporary failure")
    PERMANENT_FAILURE = "permanent_failure", _("Permanent failure")


# A message in one of these may still be (re)sent by the worker.
PENDING = (MessageStatus.QUEUED, MessageStatus.TEMPORARY_FAILURE)
FINAL = (MessageStatus.DELIVERED, MessageStatus.PERMANENT_FAILURE)
# A message in one of these will not be sent again, so a code in its body is no longer needed.
DONE = (MessageStatus.SENT, *FINAL)


class MessageKind(models.TextChoices):
    """What a message says; each kind has a template per channel and language."""

    SIGN_IN_CODE = "sign_in_code", _("Sign-in code")
    TICKET_ISSUED = "ticket_issued", _("Queue ticket issued")
    TURN_NEAR = "turn_near", _("Your turn is near")
    CALLED = "called", _("Called to the call or counter")
    REQUEST_RECEIVED = "request_received", _("Request received")
    DOCUMENTS_REQUESTED = "documents_requested", _("Documents or information requested")
    STATUS_CHANGED = "status_changed", _("Request status changed")
    REPLY = "reply", _("New message on a request")
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _("Appointment confirmed")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")


# Kinds whose body carries a secret: never logged, and wiped once the message is final.
SENSITIVE_KINDS = frozenset({MessageKind.SIGN_IN_CODE})


class PreferredChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Notifications on this device")
