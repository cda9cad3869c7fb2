"""Reads of feedback."""

from majlis.cases.models import Case
from majlis.feedback.models import Rating
from majlis.queueing.models import Ticket


def rating_for_ticket(ticket: Ticket) -> Rating | None:
    return Rating.objects.filter(ticket=ticket).first()


def rating_for_case(case: Case) -> Rating | None:
    return Rating.objects.filter(case=case).first()
