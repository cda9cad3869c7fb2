"""Writes of feedback: a citizen rates what they received."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from majlis.accounts.models import User
from majlis.core.services import audit_record
from majlis.feedback.models import Rating
from majlis.queueing.choices import TicketStatus
from majlis.queueing.models import Ticket


class FeedbackError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@transaction.atomic
def rating_give_for_ticket(
    *,
    ticket: Ticket,
    citizen: User,
    stars: int,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Rating:
    """Rate a served ticket, once."""
    if ticket.status != TicketStatus.DONE:
        raise FeedbackError("not_served")
    if not 1 <= stars <= 5:
        raise FeedbackError("stars")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                authority_id=ticket.branch.authority_id, service_id=ticket.service_id,
                ticket=ticket, citizen=citizen, agent_id=ticket.agent_id, stars=stars,
                comment=comment.strip()[:1000],
            )  # fmt: skip
    except IntegrityError:
        raise FeedbackError("already_rated") from None
    audit_record(
        action="feedback.rating.given", obj=rating, actor=citizen, request=request,
        data={"ticket": ticket.code, "stars": stars},
    )  # fmt: skip
    return rating
