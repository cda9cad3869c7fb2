"""The request's summary document (PDF) and the public transaction inquiry (seed 001 §2.10, §3).

The summary is for the request's citizen (portal) and the staff who work on it (back office);
anybody else gets the same 404 as for a request that does not exist. The inquiry is public:
request number and year in, the number and status out — nothing else, and one identical answer
for every lookup that finds nothing, behind a per-address cap.
"""

from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from majlis.cases import selectors
from majlis.cases.forms import InquiryForm
from majlis.cases.models import Case
from majlis.cases.pdf import case_summary_pdf
from majlis.catalogue.selectors import authority_get
from majlis.core.client import client_address
from majlis.core.ratelimit import RateLimiterUnavailable, rate_take

INQUIRY_LIMIT = 30
INQUIRY_WINDOW = timedelta(minutes=10)
# Eastern Arabic and Persian digits, as an Arabic keyboard may type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


# -- the summary document -------------------------------------------------------------------------


def _pdf_response(request: HttpRequest, case: Case) -> HttpResponse:
    status_url = request.build_absolute_uri(
        reverse("portal:cases:detail", args=[case.authority.slug, case.reference])
    )
    pdf = case_summary_pdf(case, language=request.LANGUAGE_CODE, status_url=status_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    # References are made of letters, digits and dashes: safe as they are in the header.
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def summary_for_citizen(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    case = selectors.case_get_for_citizen(citizen=request.user, reference=reference)
    if case is None or case.authority.slug != slug:
        raise Http404
    return _pdf_response(request, case)


@require_GET
def summary_for_staff(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_get_for_staff(user=request.user, reference=reference)
    if case is None:
        raise Http404
    return _pdf_response(request, case)


# -- the public inquiry ---------------------------------------------------------------------------


def _year(raw: str) -> int | None:
    """The year as typed (Arabic digits too), or None when it is not one."""
    text = raw.translate(_DIGITS).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        return None
    return int(text)


@never_cache
@require_GET
def inquiry(request: HttpRequest, slug: str) -> HttpResponse:
    """Request number + year → status. Nothing is looked up without a turn under the cap; a
    number that is unknown, of another year or of another authority, and input that is no
    number at all, all get the same "no request matches" page."""
    authority = authority_get(slug=slug)
    asked = "number" in request.GET or "year" in request.GET
    form = InquiryForm(request.GET if asked else None, hijri=authority.show_hijri)
    context: dict[str, object] = {"authority": authority, "form": form}
    if not asked:
        return render(request, "cases/documents/inquiry.html", context)
    if not form.is_valid():
        return render(request, "cases/documents/inquiry.html", context, status=400)
    try:
        allowed = rate_take(
            f"cases:inquiry:{client_address(request) or 'unknown'}",
            limit=INQUIRY_LIMIT, window=INQUIRY_WINDOW,
        )  # fmt: skip
    except RateLimiterUnavailable:
        context["problem"] = _("The inquiry is not available at the moment. Try again shortly.")
        return render(request, "cases/documents/inquiry.html", context, status=503)
    if not allowed:
        context["problem"] = _(
            "You have made too many inquiries in a short time. Wait ten minutes and try again."
        )
        return render(request, "cases/documents/inquiry.html", context, status=429)
    year = _year(form.cleaned_data["year"])
    number = form.cleaned_data["number"].translate(_DIGITS)
    answer = (
        selectors.case_status_inquire(authority=authority, number=number, year=year)
        if year is not None
        else None
    )
    context.update(answer=answer, not_found=answer is None)
    return render(request, "cases/documents/inquiry.html", context)
