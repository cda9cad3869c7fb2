"""Writes of feedback: a citizen rates what they received."""

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from majlis.accounts.models import User
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case
from majlis.core.services import audit_record
from majlis.feedback.models import Rating
from majlis.queueing.choices import TicketStatus
from majlis.queueing.models import Ticket

# A request can be rated once it has been decided: approved, completed or rejected (a
# cancelled request was never dealt with).
RATABLE_CASE_STATUSES = frozenset({CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED})


class FeedbackError(Exception):
    """Why a rating was refused; `message` says it in the active language."""

    MESSAGES = {
        "not_served": lambda: _("This can be rated once the service is over."),
        "not_decided": lambda: _("You can rate the service once your request has been decided."),
        "not_yours": lambda: _("This can be rated once the service is over."),
        "stars": lambda: _("Choose a rating from 1 to 5 stars."),
        "already_rated": lambda: _("You have already rated this service. Thank you."),
    }

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.code]())


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
    return _rating_save(
        Rating(
            authority_id=ticket.branch.authority_id, service_id=ticket.service_id, ticket=ticket,
            citizen=citizen, agent_id=ticket.agent_id, stars=stars, comment=comment.strip()[:1000],
        ),
        request=request, about={"ticket": ticket.code},
    )  # fmt: skip


@transaction.atomic
def rating_for_case_submit(
    *,
    case: Case,
    citizen: User,
    stars: int,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Rating:
    """The citizen rates the service they got on their request: once, after its decision.

    The officer who handled the request (its assignee) is the one rated with it.
    """
    if case.citizen_id != citizen.pk:
        raise FeedbackError("not_yours")
    # Lock the request: its status is read now and must not change before the rating is saved.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in RATABLE_CASE_STATUSES:
        raise FeedbackError("not_decided")
    if not 1 <= stars <= 5:
        raise FeedbackError("stars")
    return _rating_save(
        Rating(
            authority_id=case.authority_id, service_id=case.service_id, case=case,
            citizen=citizen, agent_id=case.assignee_id, stars=stars, comment=comment.strip()[:1000],
        ),
        request=request, about={"case": case.reference},
    )  # fmt: skip


def _rating_save(rating: Rating, *, request: HttpRequest | None, about: dict[str, str]) -> Rating:
    """Save a rating once (the one-per-ticket or per-request constraint) and audit it."""
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError:
        raise FeedbackError("already_rated") from None
    audit_record(
        action="feedback.rating.given", obj=rating, actor=rating.citizen, request=request,
        data={**about, "stars": rating.stars},
    )  # fmt: skip
    return rating
