"""What can happen to a video call: it starts when the called citizen presses "Start
conversation", and ends once (hung up, finished at the desk, or cut at the time limit)."""

import datetime
import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from majlis.accounts.models import User
from majlis.core.realtime import group_publish
from majlis.core.services import audit_record
from majlis.queueing import services as queueing
from majlis.queueing.choices import WITH_AGENT, TicketStatus
from majlis.queueing.models import Ticket
from majlis.video.choices import EndReason
from majlis.video.models import CallSession

logger = logging.getLogger(__name__)

DEFAULT_CALL_MINUTES = 30


class CallError(Exception):
    """A call action that cannot happen now; `code` names why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def call_group(call: CallSession) -> str:
    """The Channels group of the call's two sockets."""
    return f"video.call.{call.public_id}"


def call_minutes(ticket: Ticket) -> int:
    return ticket.service.max_call_minutes or DEFAULT_CALL_MINUTES


@transaction.atomic
def call_start(*, ticket: Ticket, citizen: User, request: HttpRequest | None = None) -> CallSession:
    """The citizen pressed "Start conversation": the ticket starts being served and the call's
    clock starts. Pressing again (a double click, a second tab) returns the same call."""
    if ticket.citizen_id != citizen.pk:
        raise CallError("not_yours")
    ticket = queueing.ticket_start(ticket=ticket, actor=citizen, request=request)
    call = CallSession.objects.select_for_update().filter(ticket=ticket).first()
    if call is not None and call.ended_at is None:
        return call
    now = timezone.now()
    ends_at = now + datetime.timedelta(minutes=call_minutes(ticket))
    if call is None:
        call = CallSession.objects.create(
            ticket=ticket, agent_id=ticket.agent_id, citizen_id=citizen.pk,
            started_at=now, ends_at=ends_at,
        )  # fmt: skip
    else:  # the ticket came back (transferred within the branch) and was called again
        call.agent_id = ticket.agent_id
        call.started_at, call.ends_at, call.ended_at, call.end_reason = now, ends_at, None, ""
        call.save(update_fields=["agent", "started_at", "ends_at", "ended_at", "end_reason"])
    audit_record(
        action="video.call.started", obj=call, actor=citizen, request=request,
        data={"ticket": ticket.code, "ends_at": ends_at.isoformat()},
    )  # fmt: skip
    return call


@transaction.atomic
def call_end(
    *,
    call: CallSession,
    reason: EndReason,
    actor: User | None,
    request: HttpRequest | None = None,
) -> CallSession:
    """End the call once; later calls (the other side's timer, a repeated click) change
    nothing. The ticket is finished too unless it has already left the agent."""
    call = CallSession.objects.select_for_update().select_related("ticket__service").get(pk=call.pk)
    if call.ended_at is not None:
        return call
    call.ended_at = timezone.now()
    call.end_reason = reason
    call.save(update_fields=["ended_at", "end_reason"])
    ticket = call.ticket
    if ticket.status in WITH_AGENT:
        queueing.ticket_finish(ticket=ticket, actor=actor, request=request)
    audit_record(
        action="video.call.ended", obj=call, actor=actor, request=request,
        data={"ticket": ticket.code, "reason": str(reason)},
    )  # fmt: skip
    group, message = call_group(call), {"type": "call.ended", "reason": str(reason)}
    transaction.on_commit(lambda: group_publish(group, message))
    return call


_REASONS = {
    TicketStatus.DONE: EndReason.AGENT_FINISHED,
    TicketStatus.TRANSFERRED: EndReason.TRANSFERRED,
    TicketStatus.WAITING: EndReason.TRANSFERRED,  # sent to another service of the same branch
}


def call_end_for_ticket(*, ticket: Ticket, actor: User | None) -> CallSession | None:
    """The desk is done with the ticket (finished, transferred, no-show): its call ends."""
    call = CallSession.objects.filter(ticket_id=ticket.pk, ended_at__isnull=True).first()
    if call is None:
        return None
    reason = _REASONS.get(TicketStatus(ticket.status), EndReason.TICKET_CLOSED)
    return call_end(call=call, reason=reason, actor=actor)
