"""The citizen's call page: "Start conversation" when called, then the call itself, then the
rating. Every page takes the ticket through the citizen gate: a ticket that is not theirs (or
not a video ticket) is the same 404 as one that does not exist."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from majlis.catalogue.choices import ServiceKind
from majlis.queueing import selectors as queueing_selectors
from majlis.queueing.models import Ticket
from majlis.queueing.services import QueueError
from majlis.video import selectors, services
from majlis.video.choices import EndReason
from majlis.video.turn import ice_servers


def _ticket(request: HttpRequest, slug: str, public_id: str) -> Ticket:
    ticket = queueing_selectors.ticket_get_for_citizen(user=request.user, public_id=public_id)
    if (
        ticket is None
        or ticket.branch.authority.slug != slug
        or ticket.service.kind != ServiceKind.VIDEO_QUEUE
    ):
        raise Http404
    return ticket


def after_call_url(ticket: Ticket) -> str:
    """Where the citizen goes when the call ends: the rating page (feedback), or the ticket's
    page where feedback is not installed yet."""
    args = [ticket.branch.authority.slug, ticket.public_id]
    try:
        return reverse("portal:feedback:rate", args=args)
    except NoReverseMatch:
        return reverse("portal:queueing:ticket", args=args)


@require_GET
def call(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    ticket = _ticket(request, slug, public_id)
    state = selectors.call_state(ticket=ticket, call=selectors.call_get_for_ticket(ticket=ticket))
    return render(
        request,
        "video/portal/call.html",
        {
            "authority": ticket.branch.authority,
            "ticket": ticket,
            "state": state,
            "after_url": after_call_url(ticket),
            "minutes": services.call_minutes(ticket),
        },
    )


@require_GET
def config(request: HttpRequest, slug: str, public_id: str) -> JsonResponse:
    """What the call script needs: the socket, ICE servers and time left (see staff.config)."""
    ticket = _ticket(request, slug, public_id)
    return JsonResponse(
        call_config(ticket=ticket, user_id=int(request.user.pk or 0), role="citizen")
    )


def call_config(*, ticket: Ticket, user_id: int, role: str) -> dict[str, object]:
    call = selectors.call_get_for_ticket(ticket=ticket)
    state = selectors.call_state(ticket=ticket, call=call)
    if state != "live" or call is None:
        return {"state": state, "ws": None, "role": role}
    remaining = max(0, int((call.ends_at - timezone.now()).total_seconds()))
    return {
        "state": "live",
        "ws": f"/ws/calls/{call.public_id}/",
        "ice_servers": ice_servers(user_id=user_id),
        "ends_at": call.ends_at.isoformat(),
        "remaining": remaining,
        "role": role,
    }


@require_POST
def start(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    ticket = _ticket(request, slug, public_id)
    try:
        services.call_start(ticket=ticket, citizen=request.user, request=request)  # type: ignore[arg-type]
    except (QueueError, services.CallError):
        messages.info(request, _("The call cannot start now: it is not your turn."))
    return redirect("portal:video:call", slug=slug, public_id=public_id)


@require_POST
def end(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    ticket = _ticket(request, slug, public_id)
    call = selectors.call_get_for_ticket(ticket=ticket)
    if call is not None:
        services.call_end(
            call=call, reason=EndReason.CITIZEN_LEFT, actor=request.user,  # type: ignore[arg-type]
            request=request,
        )  # fmt: skip
    return redirect(after_call_url(ticket))
