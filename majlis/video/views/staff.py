"""The agent's side of a call: the call script's configuration (JSON), a page with the call
panel (the agent console includes the same panel), and ending the call."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from majlis.queueing import selectors as queueing_selectors
from majlis.queueing.models import Ticket
from majlis.video import selectors, services
from majlis.video.choices import EndReason
from majlis.video.views.portal import call_config


def _ticket(request: HttpRequest, public_id: str) -> Ticket:
    """The ticket, for the agent serving it; everyone else gets the same 404."""
    ticket = queueing_selectors.ticket_get_for_agent(user=request.user, public_id=public_id)
    if ticket is None or ticket.agent_id is None or ticket.agent_id != request.user.pk:
        raise Http404
    return ticket


@require_GET
def config(request: HttpRequest, public_id: str) -> JsonResponse:
    ticket = _ticket(request, public_id)
    return JsonResponse(call_config(ticket=ticket, user_id=int(request.user.pk or 0), role="agent"))


@require_GET
def call(request: HttpRequest, public_id: str) -> HttpResponse:
    ticket = _ticket(request, public_id)
    return render(request, "video/staff/call.html", {"ticket": ticket})


@require_POST
def end(request: HttpRequest, public_id: str) -> HttpResponse:
    ticket = _ticket(request, public_id)
    call = selectors.call_get_for_ticket(ticket=ticket)
    if call is not None:
        services.call_end(
            call=call, reason=EndReason.AGENT_FINISHED, actor=ticket.agent, request=request
        )
    return redirect("staff:video:call", public_id=public_id)
