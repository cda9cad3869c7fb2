"""The rating screens ("your opinion matters to us"): after a call or a visit, and after a
request has been decided."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from majlis.cases.selectors import case_get_for_citizen
from majlis.feedback import selectors, services
from majlis.feedback.forms import RatingForm
from majlis.queueing.selectors import ticket_get_for_citizen


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    ticket = ticket_get_for_citizen(user=request.user, public_id=public_id)
    if ticket is None or ticket.citizen is None or ticket.branch.authority.slug != slug:
        raise Http404
    rating = selectors.rating_for_ticket(ticket)
    form = RatingForm(request.POST or None)
    status = 200
    if rating is None and request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                rating = services.rating_give_for_ticket(
                    ticket=ticket, citizen=ticket.citizen, stars=form.cleaned_data["stars"],
                    comment=form.cleaned_data["comment"], request=request,
                )  # fmt: skip
                status = 200
            except services.FeedbackError:
                form.add_error(None, _not_ready())
    context = {"authority": ticket.branch.authority, "ticket": ticket, "form": form,
               "rating": rating}  # fmt: skip
    return render(request, "feedback/portal/rate.html", context, status=status)


def _not_ready() -> str:
    return _("This can be rated once the service is over.")


@require_http_methods(["GET", "POST"])
def case_rating(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """Rate the service on a request (seed 001 §2.10 "تقييم الخدمة"): its citizen only, once it
    has been decided, once. Saved, it goes back to the request's page with a thank-you."""
    case = case_get_for_citizen(citizen=request.user, reference=reference)
    if case is None or case.authority.slug != slug:
        raise Http404
    rating = selectors.rating_for_case(case)
    ratable = case.status in services.RATABLE_CASE_STATUSES
    form = RatingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if rating is not None:
            form.add_error(None, services.FeedbackError("already_rated").message)
        elif not ratable:
            form.add_error(None, services.FeedbackError("not_decided").message)
        elif form.is_valid():
            try:
                services.rating_for_case_submit(
                    case=case, citizen=case.citizen, stars=form.cleaned_data["stars"],
                    comment=form.cleaned_data["comment"], request=request,
                )  # fmt: skip
            except services.FeedbackError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Thank you. Your opinion matters to us."))
                return redirect("portal:cases:detail", case.authority.slug, case.reference)
    context = {"authority": case.authority, "case": case, "form": form, "rating": rating,
               "ratable": ratable}  # fmt: skip
    return render(request, "feedback/portal/rate_case.html", context, status=status)
