"""QUALITY S8: 200 stored-XSS payloads in every free-text field of requests, rendered in a real
browser on the citizen's and the officers' pages: none runs, and none even reaches the page as
markup (the CSP never has to block an inline script, which would mean it got through escaping).

The summary PDF is checked apart (`majlis/cases/tests/test_summary_pdf.py`: WeasyPrint fetches
nothing and shows the payloads as text); e-mails and SMS are plain text and carry no free text
typed by anyone (a request's number, its service and its status only).
"""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page

from e2e.conftest import DESKTOP, new_context, signed_in_context
from majlis.core.testing.xss import payloads

# Defined before any page script: a payload that runs reports its number here, and a blocked
# inline script or handler shows up as a CSP violation.
WATCH = """
window.__hits = [];
window.__xss = (n) => { window.__hits.push(n); };
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.sample || ""));
});
"""
FIELDS_PER_CASE = 10


def _context(browser: Browser, site: str, user: Any) -> BrowserContext:
    context = signed_in_context(browser, site, user)
    context.add_init_script(WATCH)
    return context


def _hostile_requests() -> dict[str, Any]:
    """Requests whose every free-text field, message, note and file name carries payloads."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from majlis.accounts.models import User
    from majlis.cases import services
    from majlis.cases.testing import pdf_bytes
    from majlis.catalogue.models import Service
    from majlis.catalogue.selectors import form_version_current
    from majlis.core.uploads.policy import UploadPolicy
    from majlis.core.uploads.services import upload_accept

    amina = User.objects.create_user(username="amina", display_name="أمينة", phone="+966501110001")
    officer = User.objects.get(username="najran.officer")
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    assert version is not None
    texts = payloads(200)
    references = []
    for start in range(0, len(texts), FIELDS_PER_CASE):
        p = texts[start : start + FIELDS_PER_CASE]
        letter = upload_accept(
            file=SimpleUploadedFile(f"{p[9]}.pdf", pdf_bytes()), owner=amina, policy=UploadPolicy()
        )
        case = services.case_submit(
            service=service, version=version, citizen=amina, language="ar",
            answers={
                "applicant_type": "individual", "full_name": [p[0], p[1], "محمد", "العلي"],
                "national_id": "1000000008", "mobile": "+966501110001",
                "email": "amina@example.com", "appointment_type": "emir", "visit_reason": "other",
                "visit_subject": p[2],
                "companions": [{"name": p[3], "id_number": "1000000016"}],
            },
            files={"reason_letter": letter},
        )  # fmt: skip
        services.case_request_information(
            case=case, actor=officer, body=p[4], documents=[p[5], "صورة الهوية"]
        )
        services.case_reply(case=case, citizen=amina, body=p[6])
        services.case_note_add(case=case, actor=officer, body=p[7])
        if start % 20 == 0:
            services.case_staff_move(case=case, move="reject", actor=officer, note=p[8])
        else:
            services.case_message_staff(case=case, actor=officer, body=p[8])
        references.append(case.reference)
    return {"amina": amina, "officer": officer, "references": references}


def _visit(page: Page, url: str, seen: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)  # let timers, autofocus and media errors fire
    hits = page.evaluate("window.__hits")
    blocked = page.evaluate("window.__csp")
    assert hits == [], f"{url}: payloads ran: {hits}"
    assert blocked == [], f"{url}: markup reached the page and only the CSP stopped it: {blocked}"
    seen.append(url)


def test_the_harness_sees_a_payload_that_runs(browser: Browser, site: str) -> None:
    """The control: on a page without our escaping and CSP, the same watcher catches payloads."""
    context = new_context(browser, site, width=DESKTOP, language=None)
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_content(payloads(5)[3] + payloads(5)[0])
    page.wait_for_timeout(100)
    assert sorted(page.evaluate("window.__hits")) == [0, 3]
    context.close()


@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_on_the_citizens_or_the_officers_pages(browser: Browser, site: str) -> None:
    world = _hostile_requests()
    seen: list[str] = []
    citizen = _context(browser, site, world["amina"]).new_page()
    _visit(citizen, reverse("portal:cases:mine", args=["najran"]), seen)
    for reference in world["references"]:
        _visit(citizen, reverse("portal:cases:detail", args=["najran", reference]), seen)
    officer = _context(browser, site, world["officer"]).new_page()
    _visit(officer, reverse("staff:cases:inbox"), seen)
    _visit(
        officer, reverse("staff:cases:inbox") + "?q=" + "%3Cscript%3E__xss(1)%3C/script%3E", seen
    )
    for reference in world["references"]:
        _visit(officer, reverse("staff:cases:detail", args=[reference]), seen)
    assert len(seen) == 2 * len(world["references"]) + 3
