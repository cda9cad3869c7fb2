"""Reads of video calls and their access gates: a call has exactly two participants."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from majlis.accounts.selectors import session_second_factor_proven
from majlis.queueing.choices import WITH_AGENT, TicketStatus
from majlis.queueing.models import Ticket
from majlis.video.models import CallSession

CITIZEN, AGENT = "citizen", "agent"


def second_factor_proven(session: Mapping[str, Any]) -> bool:
    """The staff session proved TOTP (as the staff middleware requires for /staff/ pages)."""
    return session_second_factor_proven(session)


def call_get_for_ticket(*, ticket: Ticket) -> CallSession | None:
    return CallSession.objects.filter(ticket=ticket).first()


def call_get_for_participant(
    *, user: AbstractBaseUser | AnonymousUser, public_id: str, session: Mapping[str, Any]
) -> tuple[CallSession, str] | None:
    """The live call and the user's side in it: the citizen who holds the ticket, or the agent
    serving it (staff, second factor proven). Anyone else, an ended call, or no call at all
    are the same None."""
    if not user.is_authenticated:
        return None
    call = (
        CallSession.objects.select_related("ticket__branch__authority", "ticket__service")
        .filter(public_id=public_id, ended_at__isnull=True, ticket__status__in=WITH_AGENT)
        .first()
    )
    if call is None:
        return None
    ticket = call.ticket
    if ticket.citizen_id is not None and ticket.citizen_id == user.pk:
        return call, CITIZEN
    if (
        ticket.agent_id is not None
        and ticket.agent_id == user.pk
        and getattr(user, "is_staff", False)
        and second_factor_proven(session)
    ):
        return call, AGENT
    return None


def call_state(*, ticket: Ticket, call: CallSession | None) -> str:
    """Where the citizen's video call stands: "called" (may start), "live", "ended" or
    "waiting" (not their turn, or sent back to the queue)."""
    if ticket.status == TicketStatus.CALLED:
        return "called"
    if ticket.status in WITH_AGENT and call is not None and call.ended_at is None:
        return "live"
    if ticket.is_final:
        return "ended"
    return "waiting"
