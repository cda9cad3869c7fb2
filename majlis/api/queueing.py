"""The queue in the mobile API: the same actions as the Qareeb pages (join, follow, cancel,
more time, rate), for the citizen who holds the bearer token."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from majlis.accounts.models import User
from majlis.api.common import BearerToken, ErrorOut, form_errors, not_found, problem
from majlis.catalogue.models import Service
from majlis.core.i18n import localized
from majlis.feedback import services as feedback_services
from majlis.feedback.forms import RatingForm
from majlis.queueing import selectors, services
from majlis.queueing.choices import TicketChannel
from majlis.queueing.forms import JoinForm
from majlis.queueing.models import Ticket

router = Router(tags=["queue"], auth=BearerToken())


class BranchOut(Schema):
    prefix: str
    name: str


class QueueServiceOut(Schema):
    service: str
    name: str
    kind: str
    branches: list[BranchOut]


class JoinIn(Schema):
    authority: str
    service: str
    branch: str
    email: str = ""
    accept_terms: bool = False


class TicketOut(Schema):
    id: str
    code: str
    status: str
    authority: str
    branch: str
    branch_name: str
    service: str
    service_name: str
    ahead: int
    expected_wait_seconds: int | None
    now_serving: str
    version: int
    socket: str
    service_id: int
    place_key: int
    eta_table: list[int] | None
    more_time_available: bool


class RatingIn(Schema):
    stars: int
    comment: str = ""


class RatingOut(Schema):
    stars: int
    comment: str


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    snap = selectors.ticket_snapshot(ticket)
    table = snap["eta"]
    wait = None
    if table:
        wait = table[min(snap["ahead"], len(table) - 1)]
    slug = ticket.branch.authority.slug
    return {
        "id": ticket.public_id, "code": ticket.code, "status": snap["status"], "authority": slug,
        "branch": ticket.branch.ticket_prefix, "branch_name": localized(ticket.branch, "name"),
        "service": ticket.service.slug, "service_name": localized(ticket.service, "name"),
        "ahead": snap["ahead"], "expected_wait_seconds": wait, "now_serving": snap["now"],
        "version": snap["v"], "socket": f"/ws/queue/{slug}/{ticket.branch.ticket_prefix}/",
        "service_id": ticket.service_id, "place_key": snap["key"], "eta_table": table,
        "more_time_available": snap["more_time"],
    }  # fmt: skip


def _own(request: HttpRequest, public_id: str) -> Ticket | None:
    return selectors.ticket_get_for_citizen(user=request.user, public_id=public_id)


@router.get("/queues/{authority}", response={200: list[QueueServiceOut], 404: ErrorOut}, auth=None)
def queue_services(request: HttpRequest, authority: str) -> Any:
    """The queued services of an authority and the branches that take tickets for each."""
    rows = Service.objects.filter(
        authority__slug=authority, kind__in=services.QUEUE_KINDS, is_active=True
    ).prefetch_related("branches")
    if not rows:
        return Status(404, not_found())
    return Status(200, [
        {"service": s.slug, "name": localized(s, "name"), "kind": s.kind,
         "branches": [{"prefix": b.ticket_prefix, "name": localized(b, "name")}
                      for b in s.branches.all() if b.is_active]}
        for s in rows
    ])  # fmt: skip


@router.post("/queue/tickets", response={201: TicketOut, 400: ErrorOut, 404: ErrorOut})
def join(request: HttpRequest, data: JoinIn) -> Any:
    """Take a number. Someone who already holds one for the service gets it back."""
    service = (
        Service.objects.select_related("authority")
        .filter(authority__slug=data.authority, slug=data.service,
                kind__in=services.QUEUE_KINDS, is_active=True)
        .first()
    )  # fmt: skip
    if service is None:
        return Status(404, not_found())
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (BearerToken set it)
    form = JoinForm(
        {"branch": data.branch, "email": data.email, "terms": "on" if data.accept_terms else ""},
        branches=list(service.branches.filter(is_active=True)),
        locked_phone=user.phone, region=service.authority.phone_region,
    )  # fmt: skip
    if not user.phone:
        return Status(400, problem(_("Sign in with your mobile number first.")))
    if not form.is_valid():
        return Status(400, form_errors(form))
    try:
        ticket = services.ticket_issue(
            branch=form.chosen_branch(), service=service, citizen=user, phone=user.phone,
            email=form.cleaned_data["email"] or "", language=request.LANGUAGE_CODE,
            channel=TicketChannel.API, request=request,
        )  # fmt: skip
    except services.QueueError as error:
        return Status(400, problem(error.message))
    return Status(201, _ticket_out(ticket))


@router.get("/queue/tickets", response=list[TicketOut])
def my_tickets(request: HttpRequest) -> Any:
    """The citizen's tickets that are still in a queue."""
    return [_ticket_out(t) for t in selectors.ticket_list_open_for_citizen(user=request.user)]


@router.get("/queue/tickets/{ticket_id}", response={200: TicketOut, 404: ErrorOut})
def ticket(request: HttpRequest, ticket_id: str) -> Any:
    """Where the ticket stands: people ahead, the expected wait, who is being served."""
    own = _own(request, ticket_id)
    if own is None:
        return Status(404, not_found())
    return Status(200, _ticket_out(own))


def _act(request: HttpRequest, ticket_id: str, action: Any) -> Any:
    own = _own(request, ticket_id)
    if own is None:
        return Status(404, not_found())
    try:
        action(ticket=own, actor=request.user, request=request)
    except services.QueueError as error:
        return Status(409, problem(error.message))
    return Status(200, _ticket_out(own))


@router.post(
    "/queue/tickets/{ticket_id}/cancel", response={200: TicketOut, 404: ErrorOut, 409: ErrorOut}
)
def cancel(request: HttpRequest, ticket_id: str) -> Any:
    """Leave the queue."""
    return _act(request, ticket_id, services.ticket_cancel)


@router.post(
    "/queue/tickets/{ticket_id}/more-time",
    response={200: TicketOut, 404: ErrorOut, 409: ErrorOut},
)
def more_time(request: HttpRequest, ticket_id: str) -> Any:
    """ "I need more time": step back a few places, once."""
    return _act(request, ticket_id, services.ticket_more_time)


@router.post(
    "/queue/tickets/{ticket_id}/rating",
    response={201: RatingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def rate(request: HttpRequest, ticket_id: str, data: RatingIn) -> Any:
    """Rate the service once it is over (1–5 stars, an optional comment)."""
    own = _own(request, ticket_id)
    if own is None or not isinstance(request.user, User):
        return Status(404, not_found())
    form = RatingForm({"stars": data.stars, "comment": data.comment})
    if not form.is_valid():
        return Status(400, form_errors(form))
    try:
        rating = feedback_services.rating_give_for_ticket(
            ticket=own, citizen=request.user, stars=form.cleaned_data["stars"],
            comment=form.cleaned_data["comment"], request=request,
        )  # fmt: skip
    except feedback_services.FeedbackError:
        return Status(409, problem(_("This can be rated once the service is over.")))
    return Status(201, {"stars": rating.stars, "comment": rating.comment})
