"""Citizen pages of the queue (seeds/000): join with mobile, e-mail, branch and terms, the SMS
code, then the waiting page with its live status; cancel and "I need more time"."""

from typing import Any

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from majlis.accounts import selectors as accounts_selectors
from majlis.accounts.choices import OtpPurpose
from majlis.accounts.forms import CodeForm
from majlis.accounts.models import User
from majlis.accounts.services import guest_get_or_create
from majlis.accounts.views import otp_flow
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Service
from majlis.queueing import selectors, services
from majlis.queueing.choices import TicketStatus
from majlis.queueing.forms import JoinForm
from majlis.queueing.models import Ticket

SESSION_KEY = "queue_join"


def _service(slug: str, service_slug: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("authority"),
        authority__slug=slug, slug=service_slug, kind__in=services.QUEUE_KINDS, is_active=True,
    )  # fmt: skip


def queue_error_text(code: str) -> str:
    return services.QueueError(code).message


def _ticket_url(ticket: Ticket) -> str:
    return reverse("portal:queueing:ticket", args=[ticket.branch.authority.slug, ticket.public_id])


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _issue(request: HttpRequest, form: JoinForm, service: Service, phone: str) -> Ticket:
    return services.ticket_issue(
        branch=form.chosen_branch(), service=service, citizen=_signed_in(request), phone=phone,
        email=form.cleaned_data.get("email") or "", language=request.LANGUAGE_CODE,
        request=request,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    service = _service(slug, service_slug)
    authority = service.authority
    user = request.user
    if user.is_authenticated:
        if user.is_staff:
            raise Http404  # staff work the queue from the console
        current = selectors.ticket_list_open_for_citizen(user=user).filter(service=service).first()
        if current is not None:
            return redirect(_ticket_url(current))
    locked = getattr(user, "phone", "") if user.is_authenticated else ""
    branches = list(service.branches.filter(is_active=True))
    form = JoinForm(
        request.POST or None, branches=branches, locked_phone=locked,
        region=authority.phone_region,
        initial={"email": getattr(user, "email", "")} if user.is_authenticated else None,
    )  # fmt: skip
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        if locked:
            try:
                return redirect(_ticket_url(_issue(request, form, service, locked)))
            except services.QueueError as error:
                form.add_error("branch", queue_error_text(error.code))
        else:
            phone = form.cleaned_data["mobile"]
            challenge, status = otp_flow.send_for_form(
                request, form, phone, OtpPurpose.GUEST_SIGN_IN
            )
            if challenge is not None:
                request.session[SESSION_KEY] = {
                    "id": challenge.pk, "phone": phone, "service": service.pk,
                    "branch": form.cleaned_data["branch"], "email": form.cleaned_data["email"],
                }  # fmt: skip
                return redirect("portal:queueing:join_code", slug, service_slug)
    provider = accounts_selectors.sso_provider_get(provider_id=authority.sso_provider_id)
    context = {
        "authority": authority,
        "service": service,
        "form": form,
        "locked": bool(locked),
        "sso_providers": [provider] if provider and not user.is_authenticated else [],
    }
    return render(request, "queueing/portal/join.html", context, status=status)


def _pending(request: HttpRequest, service: Service) -> dict[str, Any] | None:
    pending = request.session.get(SESSION_KEY)
    if isinstance(pending, dict) and pending.get("service") == service.pk:
        return pending
    return None


def _code_page(slug: str, service_slug: str) -> otp_flow.CodePage:
    def page(
        request: HttpRequest, pending: dict[str, Any], form: CodeForm, status: int = 200,
        problem: str = "",
    ) -> HttpResponse:  # fmt: skip
        urls = (
            reverse("portal:queueing:join_code", args=[slug, service_slug]),
            reverse("portal:queueing:join_resend", args=[slug, service_slug]),
            reverse("portal:queueing:join_cancel", args=[slug, service_slug]),
        )
        return otp_flow.code_page(request, pending, form, urls=urls, status=status, problem=problem)

    return page


@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    service = _service(slug, service_slug)
    join_url = reverse("portal:queueing:join", args=[slug, service_slug])
    if _pending(request, service) is None:
        return redirect(join_url)
    page = _code_page(slug, service_slug)
    step = otp_flow.code_step(request, SESSION_KEY, page, start=join_url)
    if isinstance(step, HttpResponse):
        return step
    pending = step
    if not request.user.is_authenticated:
        login(
            request, guest_get_or_create(phone=pending["phone"]),
            backend="django.contrib.auth.backends.ModelBackend",
        )  # fmt: skip
    branches = list(service.branches.filter(is_active=True))
    form = JoinForm(
        {"mobile": pending["phone"], "email": pending["email"], "branch": pending["branch"],
         "terms": "on"},
        branches=branches, locked_phone=pending["phone"], region=service.authority.phone_region,
    )  # fmt: skip
    if not form.is_valid():  # the branch closed between the two screens
        return redirect("portal:queueing:join", slug, service_slug)
    try:
        ticket = _issue(request, form, service, pending["phone"])
    except services.QueueError as error:
        return page(request, pending, CodeForm(), status=409, problem=queue_error_text(error.code))
    return redirect(_ticket_url(ticket))


@require_POST
def join_resend(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    _service(slug, service_slug)
    return otp_flow.resend_code(
        request, SESSION_KEY, OtpPurpose.GUEST_SIGN_IN, _code_page(slug, service_slug),
        start=reverse("portal:queueing:join", args=[slug, service_slug]),
        code_route=reverse("portal:queueing:join_code", args=[slug, service_slug]),
    )  # fmt: skip


@require_POST
def join_cancel(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    service = _service(slug, service_slug)
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:catalogue:service", slug, service.slug)


# --- the waiting page ---------------------------------------------------------------------------


def _own_ticket(request: HttpRequest, slug: str, public_id: str) -> Ticket:
    """The gate: the signed-in citizen's own ticket, else the same 404 for every case."""
    ticket = selectors.ticket_get_for_citizen(user=request.user, public_id=public_id)
    if ticket is None or ticket.branch.authority.slug != slug:
        raise Http404
    return ticket


def _minutes_forms() -> dict[str, str]:
    """The "about N minutes" sentence in each plural form of the language, with {n} for the
    number, so the page can say any figure correctly (Arabic has six forms)."""
    samples = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}
    return {
        category: ngettext(
            "Expected waiting time may take %(n)s minute",
            "Expected waiting time may take %(n)s minutes",
            number,
        )
        % {"n": "{n}"}
        for category, number in samples.items()
    }


def _ahead_forms() -> dict[str, str]:
    samples = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}
    return {
        category: ngettext("%(n)s person ahead of you", "%(n)s people ahead of you", number)
        % {"n": "{n}"}
        for category, number in samples.items()
    }


@never_cache
@require_GET
def ticket(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    own = _own_ticket(request, slug, public_id)
    snapshot = selectors.ticket_snapshot(own)
    policy = services.policy_for(own.service)
    context = {
        "authority": own.branch.authority,
        "ticket": own,
        "snapshot": snapshot,
        "is_video": own.service.kind == ServiceKind.VIDEO_QUEUE,
        "grace_seconds": policy.grace_seconds,
        "more_time_places": policy.more_time_places,
        "minutes_forms": _minutes_forms(),
        "ahead_forms": _ahead_forms(),
        "socket_path": f"/ws/queue/{slug}/{own.branch.ticket_prefix}/",
        "statuses": TicketStatus,
    }
    return render(request, "queueing/portal/ticket.html", context)


@never_cache
@require_GET
def ticket_status(request: HttpRequest, slug: str, public_id: str) -> JsonResponse:
    own = _own_ticket(request, slug, public_id)
    return JsonResponse(selectors.ticket_snapshot(own))


def _citizen_action(request: HttpRequest, slug: str, public_id: str, action: Any) -> HttpResponse:
    own = _own_ticket(request, slug, public_id)
    try:
        action(ticket=own, actor=own.citizen, request=request)
    except services.QueueError as error:
        return _ticket_problem(request, own, error.code)
    return redirect(_ticket_url(own))


@require_POST
def ticket_cancel(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    return _citizen_action(request, slug, public_id, services.ticket_cancel)


@require_POST
def ticket_more_time(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    return _citizen_action(request, slug, public_id, services.ticket_more_time)


def _ticket_problem(request: HttpRequest, own: Ticket, code: str) -> HttpResponse:
    from django.contrib import messages

    messages.error(request, queue_error_text(code))
    return redirect(_ticket_url(own))
