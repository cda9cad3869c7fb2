from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    """Where a ticket is in its life; the first two are "in the queue"."""

    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", _("Served")
    NO_SHOW = "no_show", _("Did not answer")
    CANCELLED = "cancelled", _("Cancelled")
    TRANSFERRED = "transferred", _("Transferred")


# A ticket in one of these is over: nothing more happens to it.
FINAL = frozenset(
    {TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED, TicketStatus.TRANSFERRED}
)
# Called and not finished: an agent is busy with it.
WITH_AGENT = frozenset({TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD})


class TicketPriority(models.IntegerChoices):
    """How a ticket is placed in the queue (see QueuePolicy.priority_lead_minutes)."""

    NORMAL = 0, _("Normal")
    APPOINTMENT = 1, _("Appointment")
    PRIORITY = 2, _("Priority (senior citizen or person of determination)")


class TicketChannel(models.TextChoices):
    WEB = "web", _("Web portal")
    API = "api", _("Mobile app")
    COUNTER = "counter", _("Issued at the centre")
    TRANSFER = "transfer", _("Transferred from another branch")


class ShiftStatus(models.TextChoices):
    """What an agent at a desk is doing; paused agents are not counted as serving."""

    AVAILABLE = "available", _("Available")
    PAUSED = "paused", _("On a break")
