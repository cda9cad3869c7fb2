"""Queue work that happens later: a called citizen who never answers."""

import logging

from django.tasks import task

from majlis.queueing.choices import ShiftStatus, TicketStatus
from majlis.queueing.models import AgentShift, Ticket

logger = logging.getLogger(__name__)


@task()
def expire_call(ticket_id: int, times_called: int) -> None:
    """At the end of the grace period: if the citizen still has not started (and was not called
    again meanwhile), mark the ticket as not answering and call the next one for that desk."""
    from majlis.queueing import services

    ticket = Ticket.objects.filter(pk=ticket_id).select_related("branch__authority").first()
    if ticket is None or ticket.status != TicketStatus.CALLED:
        return
    if ticket.times_called != times_called:
        return  # recalled since: that call has its own grace period
    agent_id = ticket.agent_id
    try:
        services.ticket_no_show(ticket=ticket, actor=None)
    except services.QueueError:
        return  # started or cancelled in the meantime
    shift = (
        AgentShift.objects.filter(agent_id=agent_id, ended_at__isnull=True)
        .select_related("branch__authority", "counter", "agent")
        .first()
    )
    if shift is None or shift.status != ShiftStatus.AVAILABLE:
        return
    try:
        services.ticket_call_next(shift=shift)
    except services.QueueError as error:
        logger.info("no automatic call after a no-show: %s", error.code)
