"""Starting and ending a call through the services, and the call following its ticket."""

from typing import Any

import pytest

from majlis.core.models import AuditEntry
from majlis.queueing import services as queueing
from majlis.queueing.choices import TicketStatus
from majlis.video import services
from majlis.video.choices import EndReason
from majlis.video.models import CallSession
from majlis.video.tests.conftest import called_ticket

pytestmark = pytest.mark.django_db(transaction=True)  # the call follows its ticket after commit


def test_it_starts_the_ticket_and_one_call_however_often_pressed(desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    first = services.call_start(ticket=ticket, citizen=desk["citizen"])
    second = services.call_start(ticket=ticket, citizen=desk["citizen"])
    assert first.pk == second.pk
    assert CallSession.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVING
    assert first.agent == desk["agent"]
    assert (first.ends_at - first.started_at).total_seconds() == 30 * 60
    assert AuditEntry.objects.filter(action="video.call.started").count() == 1


def test_it_refuses_to_start_someone_elses_ticket(desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    with pytest.raises(services.CallError):
        services.call_start(ticket=ticket, citizen=desk["stranger"])
    assert not CallSession.objects.exists()


def test_it_ends_once_and_finishes_the_ticket(desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    call = services.call_start(ticket=ticket, citizen=desk["citizen"])
    services.call_end(call=call, reason=EndReason.CITIZEN_LEFT, actor=desk["citizen"])
    services.call_end(call=call, reason=EndReason.TIME_LIMIT, actor=None)
    call.refresh_from_db()
    ticket.refresh_from_db()
    assert call.end_reason == EndReason.CITIZEN_LEFT
    assert ticket.status == TicketStatus.DONE
    assert AuditEntry.objects.filter(action="video.call.ended").count() == 1


def test_it_ends_the_call_when_the_agent_finishes_the_ticket(desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    call = services.call_start(ticket=ticket, citizen=desk["citizen"])
    queueing.ticket_finish(ticket=ticket, actor=desk["agent"])
    call.refresh_from_db()
    assert call.end_reason == EndReason.AGENT_FINISHED
    assert call.ended_at is not None


def test_it_ends_the_call_when_the_ticket_is_transferred(desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    call = services.call_start(ticket=ticket, citizen=desk["citizen"])
    queueing.ticket_transfer(ticket=ticket, agent=desk["agent"], service=desk["service"])
    call.refresh_from_db()
    assert call.end_reason == EndReason.TRANSFERRED
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING  # back in the queue, not finished by the call
