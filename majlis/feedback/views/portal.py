"""The rating screen after a call or a visit ("your opinion matters to us")."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

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
    from django.utils.translation import gettext as _

    return _("This can be rated once the service is over.")
