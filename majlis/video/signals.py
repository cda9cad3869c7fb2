"""Receivers: the video call follows its ticket."""

from typing import Any

from django.dispatch import receiver

from majlis.queueing.models import Ticket
from majlis.queueing.signals import ticket_finished
from majlis.video import services


@receiver(ticket_finished, sender=Ticket, dispatch_uid="video.call_end_for_ticket")
def _ticket_finished(sender: type[Ticket], ticket: Ticket, actor: Any, **kwargs: Any) -> None:
    services.call_end_for_ticket(ticket=ticket, actor=actor)
