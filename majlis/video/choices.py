from django.db import models
from django.utils.translation import gettext_lazy as _


class EndReason(models.TextChoices):
    """Why a video call ended."""

    AGENT_FINISHED = "agent_finished", _("The agent finished the service")
    CITIZEN_LEFT = "citizen_left", _("The citizen ended the call")
    TIME_LIMIT = "time_limit", _("The time limit was reached")
    TRANSFERRED = "transferred", _("The citizen was transferred")
    TICKET_CLOSED = "ticket_closed", _("The ticket was closed at the desk")
