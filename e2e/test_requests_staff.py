"""The officers' back office for requests in a browser: the inbox and a request's page pass axe in
Arabic and English on a phone and a desktop, and a decision can be made with the keyboard."""

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from e2e.conftest import LANGUAGES, WIDTHS, check_accessible, signed_in_context

JOURNEYS = [(language, width) for language in LANGUAGES for width in WIDTHS]


def _busy_request() -> Any:
    """A Najran request with a picture, a question to the citizen, their reply with a file still
    being scanned, and a note; three more requests beside it in the inbox."""
    from majlis.accounts.models import User
    from majlis.cases import services
    from majlis.cases.models import DocumentRequest
    from majlis.cases.testing import a_file, saudi_id
    from majlis.catalogue.models import Service
    from majlis.catalogue.selectors import form_version_current
    from majlis.core.uploads.policy import UploadPolicy
    from majlis.core.uploads.services import upload_accept
    from majlis.core.uploads.tasks import upload_scan

    citizen = User.objects.create_user(
        username="amina", display_name="أمينة سالم العلي", phone="+966501110001"
    )
    officer = User.objects.get(username="najran.officer")
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    answers = {
        "applicant_type": "individual", "full_name": ["أمينة", "سالم", "محمد", "العلي"],
        "national_id": saudi_id(1), "mobile": citizen.phone, "email": "amina@example.com",
        "appointment_type": "department", "destination": "citizens-affairs",
        "entry_gate": "main-gate", "visit_reason": "request",
        "visit_subject": "أرغب في مقابلة بخصوص معاملة متأخرة", "has_belongings": "yes",
        "belongings": ["car", "laptop"], "declaration": True,
        "companions": [{"name": "سالم العلي", "id_number": saudi_id(2)}],
        "id_copy": {"name": "id.png", "size": 100},
    }  # fmt: skip
    picture = upload_accept(file=a_file("id.png"), owner=citizen, policy=UploadPolicy())
    upload_scan.call(picture.pk)
    case = services.case_submit(
        service=service, version=version, citizen=citizen, answers=answers,
        files={"id_copy": picture}, language="ar",
    )  # fmt: skip
    for n in range(3):
        services.case_submit(
            service=service, version=version, citizen=citizen,
            answers={**answers, "national_id": saudi_id(n + 3)}, files={}, language="ar",
        )  # fmt: skip
    services.case_request_information(
        case=case, actor=officer, body="نرجو إرفاق خطاب الجهة", documents=["خطاب الجهة"]
    )
    letter = upload_accept(file=a_file("letter.pdf"), owner=citizen, policy=UploadPolicy())
    wanted = DocumentRequest.objects.get(case=case)
    services.case_reply(case=case, citizen=citizen, body="تم الإرفاق", files=[(letter, wanted)])
    services.case_note_add(case=case, actor=officer, body="المراجع معروف لدى الإدارة")
    return case


@pytest.mark.parametrize(("language", "width"), JOURNEYS)
def test_it_shows_an_accessible_inbox_and_request(
    browser: Browser, site: str, upload_root: Any, language: str, width: int
) -> None:
    case = _busy_request()
    context = signed_in_context(browser, site, "najran.officer", width=width, language=language)
    try:
        page = context.new_page()
        page.goto("/staff/requests/")
        expect(page.locator(f'[data-reference="{case.reference}"]')).to_be_visible()
        expect(page.locator('[data-badge="reply"]')).to_have_count(1)
        check_accessible(page, language=language)
        page.goto(f"/staff/requests/{case.reference}/")
        expect(page.locator("h1")).to_contain_text(case.reference)
        expect(page.locator("figure img")).to_be_visible()  # the ID copy, previewed inline
        check_accessible(page, language=language)
        # A rejection without its reason: the error next to the field, and still accessible.
        page.locator('[data-move="reject"]').focus()
        page.keyboard.press("Enter")
        expect(page.locator("#id_decision-note_error")).to_be_visible()
        check_accessible(page, language=language)
    finally:
        context.close()
