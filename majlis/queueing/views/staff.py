"""Back-office pages of the queue: the agent's console and the supervisor's live view.

Every button is a POST form that works without JavaScript; `console.js` and `supervisor.js` only
re-fetch the live fragments when the branch's socket says something changed. A ticket an agent
may not act on is a 404, exactly like a ticket that does not exist.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from majlis.accounts.models import User
from majlis.accounts.views.access import staff_only
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Branch
from majlis.queueing import selectors, services
from majlis.queueing.choices import ShiftStatus, TicketStatus
from majlis.queueing.forms import (
    BranchChoiceForm,
    NoteForm,
    ShiftOpenForm,
    TransferForm,
    branch_key,
)
from majlis.queueing.models import AgentShift, Ticket

# What a refused action means, in the words shown next to its button.
ERRORS = {
    "closed": _("That service is not open at that branch."),
    "full": _("The branch has given all its numbers for today."),
    "not_waiting": _("This ticket is no longer waiting."),
    "no_more_time": _("This ticket cannot step back again."),
    "no_shift": _("Your shift has ended. Open a new one."),
    "busy": _("Finish or transfer the current ticket first."),
    "not_called": _("This ticket is not being called any more."),
    "not_serving": _("This ticket is not being served."),
    "not_on_hold": _("This ticket is not on hold."),
    "counter_taken": _("Someone else has just taken this desk. Choose another one."),
    "empty": _("Nobody is waiting."),
}
VIDEO_PANEL = "video/staff/panel.html"


def _error(code: str) -> str:
    return str(ERRORS.get(code, _("This cannot be done now.")))


WAITING_SHOWN = 50


def _agent(request: HttpRequest) -> User:
    """The signed-in staff member (every view here is behind `staff_only`)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _fragment(request: HttpRequest, template: str, context: dict[str, Any]) -> JsonResponse:
    """A live part of a page, as JSON (`{"html": …}`): it is no page of its own."""
    html = render_to_string(template, context, request=request)
    return JsonResponse({"html": html}, headers={"Cache-Control": "no-store"})


def _socket_path(branch: Branch) -> str:
    return f"/ws/queue/{branch.authority.slug}/{branch.ticket_prefix}/"


def _minutes_since(moment: Any, now: Any) -> int:
    return max(0, int((now - moment).total_seconds() // 60)) if moment else 0


def _video_panel(current: Ticket | None) -> bool:
    """The video call panel is another app's template: shown once that app provides it."""
    if current is None or current.service.kind != ServiceKind.VIDEO_QUEUE:
        return False
    try:
        select_template([VIDEO_PANEL])
    except TemplateDoesNotExist:
        return False
    return True


def _branches(request: HttpRequest) -> list[Branch]:
    branches = list(selectors.branch_list_for_staff(user=request.user))
    if not branches:
        raise Http404
    return branches


def _shift(request: HttpRequest) -> AgentShift:
    shift = selectors.shift_get_open(user=request.user)
    if shift is None or shift.branch not in _branches(request):
        raise Http404
    return shift


# --- the console --------------------------------------------------------------------------------


def _waiting_context(shift: AgentShift, current: Ticket | None) -> dict[str, Any]:
    service_ids = list(shift.services.values_list("pk", flat=True))
    queue = selectors.queue_waiting(branch=shift.branch, service_ids=service_ids)
    waiting = list(queue[:WAITING_SHOWN])
    now = timezone.now()
    for ticket in waiting:
        ticket.wait_minutes = _minutes_since(ticket.joined_at, now)  # type: ignore[attr-defined]
    return {
        "waiting": waiting,
        "waiting_count": queue.count() if len(waiting) == WAITING_SHOWN else len(waiting),
        "current_state": f"{current.public_id}:{current.status}" if current else "",
    }


def _console(
    request: HttpRequest,
    *,
    errors: dict[str, str] | None = None,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    branches = _branches(request)
    shift = selectors.shift_get_open(user=request.user)
    forms = forms or {}
    context: dict[str, Any] = {"errors": errors or {}, "branches": branches}
    if shift is None or shift.branch not in branches:
        chooser = BranchChoiceForm(request.GET or None, branches=branches)
        open_form = forms.get("open") or ShiftOpenForm(branch=chooser.chosen())
        context |= {"chooser": chooser, "branch": open_form.for_branch, "open_form": open_form}
        return render(request, "queueing/staff/open_shift.html", context, status=status)
    current = selectors.ticket_current_for_agent(user=_agent(request))
    context |= {
        "shift": shift,
        "branch": shift.branch,
        "authority": shift.branch.authority,
        "current": current,
        "socket_path": _socket_path(shift.branch),
        "paused": shift.status == ShiftStatus.PAUSED,
        "services": list(shift.services.all()),
        "supervises": selectors.branch_list_for_staff(
            user=request.user, roles=selectors.SUPERVISOR_ROLES
        )
        .filter(pk=shift.branch_id)
        .exists(),
        **_waiting_context(shift, current),
    }
    if current is not None:
        context |= {
            "since": current.served_at or current.called_at,
            "is_video": current.service.kind == ServiceKind.VIDEO_QUEUE,
            "video_panel": _video_panel(current),
            "notes": list(selectors.ticket_notes(current)),
            "note_form": forms.get("note") or NoteForm(),
            "transfer_form": forms.get("transfer")
            or TransferForm(targets=selectors.transfer_targets(current)),
        }
    return render(request, "queueing/staff/console.html", context, status=status)


@require_safe
@staff_only
def console(request: HttpRequest) -> HttpResponse:
    return _console(request)


@require_safe
@staff_only
def console_live(request: HttpRequest) -> HttpResponse:
    """The part of the console that others change: the waiting list (and a fingerprint of the
    current ticket, so the page knows when the citizen started, left or timed out)."""
    shift = _shift(request)
    current = selectors.ticket_current_for_agent(user=_agent(request))
    context = {"shift": shift, **_waiting_context(shift, current)}
    return _fragment(request, "queueing/staff/_waiting.html", context)


@require_POST
@staff_only
def shift_open(request: HttpRequest) -> HttpResponse:
    branches = {branch_key(b): b for b in _branches(request)}
    branch = branches.get(request.POST.get("branch", ""))
    if branch is None:
        raise Http404
    form = ShiftOpenForm(request.POST, branch=branch)
    if not form.is_valid():
        return _console(request, forms={"open": form}, status=400)
    try:
        services.shift_open(
            agent=_agent(request), counter=form.chosen_counter(), services=form.chosen_services(),
            request=request,
        )  # fmt: skip
    except services.QueueError as error:
        form.add_error("counter", _error(error.code))
        return _console(request, forms={"open": form}, status=409)
    return redirect("staff:queueing:console")


@require_POST
@staff_only
def shift_status(request: HttpRequest) -> HttpResponse:
    shift = _shift(request)
    wanted = request.POST.get("status", "")
    if wanted not in ShiftStatus.values:
        raise Http404
    services.shift_set_status(shift=shift, status=ShiftStatus(wanted), request=request)
    return redirect("staff:queueing:console")


@require_POST
@staff_only
def shift_close(request: HttpRequest) -> HttpResponse:
    shift = _shift(request)
    if selectors.ticket_current_for_agent(user=_agent(request)) is not None:
        return _console(request, errors={"shift": _error("busy")}, status=409)
    services.shift_close(shift=shift, request=request)
    return redirect("staff:queueing:console")


@require_POST
@staff_only
def call_next(request: HttpRequest) -> HttpResponse:
    shift = _shift(request)
    try:
        ticket = services.ticket_call_next(shift=shift, request=request)
    except services.QueueError as error:
        # Busy: the refusal goes beside the current ticket's buttons, where the agent looks.
        where = "ticket" if error.code == "busy" else "call"
        return _console(request, errors={where: _error(error.code)}, status=409)
    if ticket is None:
        return _console(request, errors={"call": _error("empty")}, status=409)
    return redirect("staff:queueing:console")


# The agent's buttons on the current ticket: the service each one calls.
def _recall(request: HttpRequest, ticket: Ticket) -> None:
    services.ticket_recall(ticket=ticket, agent=_agent(request), request=request)


def _no_show(request: HttpRequest, ticket: Ticket) -> None:
    services.ticket_no_show(ticket=ticket, actor=_agent(request), request=request)


def _start(request: HttpRequest, ticket: Ticket) -> None:
    if ticket.service.kind == ServiceKind.VIDEO_QUEUE:
        raise Http404  # the citizen starts a video call from their page
    services.ticket_start(ticket=ticket, actor=_agent(request), request=request)


def _hold(request: HttpRequest, ticket: Ticket) -> None:
    services.ticket_hold(ticket=ticket, agent=_agent(request), request=request)


def _resume(request: HttpRequest, ticket: Ticket) -> None:
    services.ticket_resume(ticket=ticket, agent=_agent(request), request=request)


def _finish(request: HttpRequest, ticket: Ticket) -> None:
    services.ticket_finish(ticket=ticket, actor=_agent(request), request=request)


ACTIONS: dict[str, Callable[[HttpRequest, Ticket], None]] = {
    "recall": _recall,
    "no-show": _no_show,
    "start": _start,
    "hold": _hold,
    "resume": _resume,
    "finish": _finish,
}


def _own_current(request: HttpRequest, public_id: str) -> Ticket:
    """The agent's current ticket by its link; anything else is not found."""
    ticket = selectors.ticket_get_for_agent(user=request.user, public_id=public_id)
    if ticket is None or ticket.agent_id != request.user.pk:
        raise Http404
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.ON_HOLD):
        raise Http404
    return ticket


@require_POST
@staff_only
def ticket_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    act = ACTIONS.get(action)
    if act is None:
        raise Http404
    ticket = _own_current(request, public_id)
    try:
        act(request, ticket)
    except services.QueueError as error:
        return _console(request, errors={"ticket": _error(error.code)}, status=409)
    return redirect("staff:queueing:console")


@require_POST
@staff_only
def ticket_transfer(request: HttpRequest, public_id: str) -> HttpResponse:
    ticket = _own_current(request, public_id)
    form = TransferForm(request.POST, targets=selectors.transfer_targets(ticket))
    if not form.is_valid():
        return _console(request, forms={"transfer": form}, status=400)
    service, branch = form.chosen_target()
    try:
        services.ticket_transfer(
            ticket=ticket, agent=_agent(request), service=service, branch=branch, request=request
        )
    except services.QueueError as error:
        return _console(request, errors={"transfer": _error(error.code)}, status=409)
    return redirect("staff:queueing:console")


@require_POST
@staff_only
def ticket_note(request: HttpRequest, public_id: str) -> HttpResponse:
    ticket = _own_current(request, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _console(request, forms={"note": form}, status=400)
    services.ticket_note_add(
        ticket=ticket, author=_agent(request), text=form.cleaned_data["text"], request=request
    )
    return redirect(f"{reverse('staff:queueing:console')}#notes")


# --- the supervisor -----------------------------------------------------------------------------


def _supervised_branch(request: HttpRequest, slug: str, prefix: str) -> Branch:
    branch = (
        selectors.branch_list_for_staff(user=request.user, roles=selectors.SUPERVISOR_ROLES)
        .filter(authority__slug=slug, ticket_prefix=prefix)
        .first()
    )
    if branch is None:
        raise Http404
    return branch


def _figures(branch: Branch) -> dict[str, Any]:
    stats = selectors.branch_stats(branch)
    busy = selectors.tickets_with_agents(branch)
    agents = [
        {"shift": shift, "current": busy.get(shift.agent_id)}
        for shift in sorted(stats["shifts"], key=lambda s: s.counter.number)
    ]
    return {
        "stats": stats,
        "agents": agents,
        "longest_minutes": stats["longest_wait_seconds"] // 60,
        "average_minutes": stats["average_wait_seconds"] // 60,
    }


@require_safe
@staff_only
def supervisor(request: HttpRequest, slug: str, prefix: str) -> HttpResponse:
    branch = _supervised_branch(request, slug, prefix)
    others = selectors.branch_list_for_staff(user=request.user, roles=selectors.SUPERVISOR_ROLES)
    context = {
        "branch": branch,
        "authority": branch.authority,
        "others": [b for b in others if b.pk != branch.pk],
        "socket_path": _socket_path(branch),
        **_figures(branch),
    }
    return render(request, "queueing/staff/supervisor.html", context)


@require_safe
@staff_only
def supervisor_live(request: HttpRequest, slug: str, prefix: str) -> HttpResponse:
    branch = _supervised_branch(request, slug, prefix)
    context = {"branch": branch, **_figures(branch)}
    return _fragment(request, "queueing/staff/_figures.html", context)
