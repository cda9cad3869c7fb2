"""My account on a phone (seed 001, «حسابي»), in Arabic and English, with axe on every page: the
officer asks for a document, the citizen sees "you have a message", opens the request, attaches
a file that is refused (the text stays), then the right one, and at last cancels the request."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, expect

from e2e.conftest import PHONE, accessibility_problems
from majlis.cases.testing import pdf_bytes

pytestmark = pytest.mark.browser


def _t(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _waiting_request() -> tuple[Any, Any]:
    """Amina's request to Najran, on which the officer has asked for a document."""
    from majlis.accounts.models import User
    from majlis.cases import services
    from majlis.catalogue.models import Service
    from majlis.catalogue.selectors import form_version_current

    amina = User.objects.create_user(username="amina", display_name="أمينة", phone="+966501110001")
    officer = User.objects.get(username="najran.officer")
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    assert version is not None
    case = services.case_submit(
        service=service, version=version, citizen=amina, language="ar",
        answers={"applicant_type": "individual", "appointment_type": "emir",
                 "visit_subject": "موضوع الزيارة"},
        files={},
    )  # fmt: skip
    services.case_request_information(
        case=case, actor=officer, body="نرجو إرفاق صورة الصك.", documents=["صورة الصك"]
    )
    return amina, case


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_citizen_answers_the_officer_from_my_account_on_a_phone(
    fresh_context: Callable[..., BrowserContext], site: str, language: str
) -> None:
    from django.conf import settings
    from django.test import Client

    from majlis.cases.models import Case

    amina, case = _waiting_request()
    client = Client()
    client.force_login(amina)
    context = fresh_context(width=PHONE, language=None if language == "ar" else language)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    page = context.new_page()

    page.goto("/najran/")
    page.get_by_role("link", name=_t(language, "My account")).click()
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row.get_by_text(_t(language, "You have a message"))).to_be_visible()
    problems = accessibility_problems(page, language=language)

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("نرجو إرفاق صورة الصك.")).to_be_visible()
    problems += accessibility_problems(page, language=language)

    # A web page dressed as a PDF: refused next to its input, and the text typed stays.
    deed = page.get_by_label("صورة الصك")
    deed.set_input_files(
        {"name": "deed.pdf", "mimeType": "application/pdf", "buffer": b"<html>hi</html>"}
    )
    page.get_by_label(_t(language, "Your reply")).fill("أرفقت صورة الصك")
    page.get_by_role("button", name=_t(language, "Send the reply")).click()
    expect(page.locator(".field-error")).to_be_visible()
    expect(page.get_by_label("صورة الصك")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(_t(language, "Your reply"))).to_have_value("أرفقت صورة الصك")
    problems += accessibility_problems(page, language=language)

    page.get_by_label("صورة الصك").set_input_files(
        {"name": "deed.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name=_t(language, "Send the reply")).click()
    expect(page.get_by_text(_t(language, "Your reply was sent to the officer."))).to_be_visible()
    expect(page.locator("#case-status")).to_have_text(_t(language, "Resubmitted"))
    expect(page.get_by_text(_t(language, "Provided"))).to_be_visible()
    problems += accessibility_problems(page, language=language)

    # Cancelling asks first.
    page.get_by_text(_t(language, "I no longer need this request")).click()
    page.get_by_role("button", name=_t(language, "Yes, cancel the request")).click()
    expect(page.locator("#case-status")).to_have_text(_t(language, "Cancelled"))
    expect(
        page.get_by_role("button", name=re.compile(_t(language, "Send the reply")))
    ).to_have_count(0)
    problems += accessibility_problems(page, language=language)
    assert Case.objects.get(pk=case.pk).status == "cancelled"
    assert not problems, "\n".join(problems)
