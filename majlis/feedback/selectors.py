"""Reads of feedback."""

from majlis.feedback.models import Rating
from majlis.queueing.models import Ticket


def rating_for_ticket(ticket: Ticket) -> Rating | None:
    return Rating.objects.filter(ticket=ticket).first()
