"""The e-service journeys of seeds 001–003 in a real browser, in Arabic and English, with axe on
every page: Najran (national sign-on, two companions, a documents-requested round trip with the
officer), Madinah (a meeting with an official and the previous appointments), Amman (a permit
the registry knows, and one it does not)."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import DESKTOP, PHONE, accessibility_problems, signed_in_context
from majlis.accounts.demo import CITIZENS, STANDIN_PIN
from majlis.cases.testing import pdf_bytes, png_bytes

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"[A-Z]{2,6}-\d{4}-\d{6}")


def _t(language: str, message: str, **values: str) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _png(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes()}


def _sign_in_with_nafath(page: Page, language: str, citizen: Any) -> None:
    """From the sign-in page: the stand-in Nafath, national ID and PIN."""
    provider = "النفاذ الوطني" if language == "ar" else "Nafath"
    page.get_by_role(
        "button", name=_t(language, "Sign in with %(name)s", name=provider)
    ).first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/sso-demo/identity/o/authorize")
    page.get_by_label(_t(language, "National ID number")).fill(citizen.national_id)
    page.get_by_label(_t(language, "PIN")).fill(STANDIN_PIN)
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()


def fill_najran_form(page: Page, language: str) -> None:
    """Every field of seed 001's form, as a citizen fills it: two companions, a phone brought."""
    page.locator('[name="applicant_type"][value="individual"]').check()
    page.locator('[name="governorate"]').select_option(index=1)
    page.locator('[name="appointment_type"]').select_option("department")
    destination = page.locator('[name="destination"]')
    expect(destination).to_be_visible()  # only for "a specific department"
    destination.select_option("rights")
    page.locator('[name="entry_gate"]').select_option(index=1)
    page.locator('[name="visit_reason"]').select_option("request")
    page.locator('[name="visit_subject"]').fill(
        "أرغب في مقابلة إدارة الحقوق العامة بخصوص معاملة متأخرة."
        if language == "ar" else "I would like to meet the public rights department."
    )  # fmt: skip
    page.locator('[name="reason_letter"]').set_input_files(_pdf("letter.pdf"))
    page.locator('[name="id_copy"]').set_input_files(_png("id.png"))
    page.locator('[name="has_belongings"][value="yes"]').check()
    page.locator('[name="belongings"][value="phone"]').check()
    add = page.get_by_role(
        "button", name="+ " + ("إضافة مرافق" if language == "ar" else "Add companion")
    )
    for index, (name, id_number) in enumerate((("سالم علي اليامي", "1000000008"),
                                               ("هند علي اليامي", "1000000016"))):  # fmt: skip
        add.click()
        page.locator(f'[name="companions-{index}-name"]').fill(name)
        page.locator(f'[name="companions-{index}-id_number"]').fill(id_number)
        page.locator(f'[name="companions-{index}-id_image"]').set_input_files(_png(f"c{index}.png"))
    page.locator('[name="declaration"]').check()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_najran_two_companions_and_a_documents_round_trip(
    fresh_context: Callable[..., BrowserContext], browser: Browser, site: str, language: str
) -> None:
    from majlis.cases.models import Case

    fatimah = CITIZENS[2]
    page = fresh_context(width=PHONE, language=None if language == "ar" else language).new_page()
    page.goto("/najran/services/emirate-appointment/")
    problems = accessibility_problems(page, language=language)
    page.get_by_role("link", name=_t(language, "Start service")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    _sign_in_with_nafath(page, language, fatimah)
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/requests/new/emirate-appointment/"))
    # Name, ID and mobile come from national sign-on and cannot be changed.
    expect(page.locator('[name="national_id"]')).to_be_disabled()
    expect(page.locator('[name="national_id"]')).to_have_value(fatimah.national_id)
    problems += accessibility_problems(page, language=language)

    fill_najran_form(page, language)
    # A mistake first: a companion's ID with a wrong check digit. The page says so next to it,
    # and keeps the text and the files already attached.
    page.locator('[name="companions-1-id_number"]').fill("1000000017")
    page.get_by_role("button", name=_t(language, "Submit")).click()
    expect(page.locator("#id_companions-1-id_number_error")).to_be_visible()
    expect(page.locator("[data-kept-file]")).to_have_count(4)
    problems += accessibility_problems(page, language=language)
    page.locator('[name="companions-1-id_number"]').fill("1000000016")
    page.locator('[name="declaration"]').check()
    page.get_by_role("button", name=_t(language, "Submit")).click()

    expect(page.locator("h1")).to_have_text(_t(language, "Request received"))
    reference = REFERENCE.search(page.locator("main").inner_text())
    assert reference is not None
    problems += accessibility_problems(page, language=language)
    case = Case.objects.get(reference=reference.group(0))
    assert case.department is not None
    assert case.department.code == "rights"
    assert len(case.answers["companions"]) == 2
    assert case.files.count() == 4

    # The officer (triage sees every department) asks for a document the request lacks.
    chosen = None if language == "ar" else language
    officer = signed_in_context(browser, site, "najran.triage", language=chosen).new_page()
    officer.goto(f"/staff/requests/{case.reference}/")
    problems += accessibility_problems(officer, language=language)
    ask = officer.locator(f"form[action$='/{case.reference}/ask']")
    ask.get_by_label(_t(language, "Message to the citizen")).fill(
        "نرجو إرفاق خطاب التفويض."
        if language == "ar"
        else "Please attach the authorisation letter."
    )
    ask.get_by_label(_t(language, "Documents to ask for")).fill(
        "خطاب التفويض" if language == "ar" else "Authorisation letter"
    )
    ask.get_by_role("button", name=_t(language, "Send the request for information")).click()
    officer.wait_for_load_state()

    # The citizen sees "you have a message" in My account, reads it, replies with the document.
    page.goto("/najran/requests/")
    expect(page.locator("main")).to_contain_text(_t(language, "You have a message"))
    problems += accessibility_problems(page, language=language)
    page.get_by_role("link", name=case.reference).click()
    expect(page.locator("main")).to_contain_text(
        "نرجو إرفاق خطاب التفويض."
        if language == "ar"
        else "Please attach the authorisation letter."
    )
    page.locator("[name^='document_']").set_input_files(_pdf("authorisation.pdf"))
    page.get_by_label(_t(language, "Your reply")).fill(
        "مرفق الخطاب." if language == "ar" else "Attached."
    )
    page.get_by_role("button", name=_t(language, "Send the reply")).click()
    expect(page.locator("#case-status")).to_have_text(_t(language, "Resubmitted"))
    problems += accessibility_problems(page, language=language)

    # The officer sees the reply and its file on the request's page.
    officer.goto(f"/staff/requests/{case.reference}/")
    expect(officer.locator("main")).to_contain_text("authorisation.pdf")
    case.refresh_from_db()
    assert case.status == "resubmitted"
    assert case.document_requests.get().fulfilled_at is not None
    problems += accessibility_problems(officer, language=language)
    assert not problems, "\n".join(problems)


def _sms_code(phone: str) -> str:
    from majlis.notifications.choices import MessageKind
    from majlis.notifications.models import Message

    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    found = re.search(r"\b\d{6}\b", body)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_amman_renewal_with_a_registry_miss_then_a_hit(
    fresh_context: Callable[..., BrowserContext], language: str
) -> None:
    from majlis.cases.models import Case

    phone = "+962791234567" if language == "ar" else "+962791234568"
    page = fresh_context(width=PHONE, language=None if language == "ar" else language).new_page()
    page.goto("/amman/services/contractor-permit-renewal/")
    page.get_by_role("link", name=_t(language, "Start service")).click()
    # No account needed: continue as a guest with the mobile number and its SMS code.
    page.get_by_role("link", name=_t(language, "Continue as a guest")).click()
    page.locator('[name="mobile"]').fill(phone)
    page.get_by_role("button", name=_t(language, "Send")).click()
    page.locator('[name="code"]').fill(_sms_code(phone))
    page.get_by_role("button", name=_t(language, "Connect")).click()
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/contractor-permit-renewal/"))
    problems = accessibility_problems(page, language=language)

    # A permit the registry does not know: a clear error, and nothing typed is lost.
    page.locator('[name="contractor_number"]').fill("10231")
    page.locator('[name="permit_number"]').fill("P-9999")
    page.locator('[name="permit_year"]').fill("2025")
    page.locator('[name="renewal_reason"]').fill(
        "انتهاء مدة التصريح" if language == "ar" else "Expiry"
    )
    page.get_by_role("button", name=_t(language, "Check the permit")).click()
    expect(page.locator("[data-dynamic-form] > .alert-error")).to_contain_text(
        _t(language, "No permit matches this contractor number, permit number and year.")
    )
    expect(page.locator('[name="renewal_reason"]')).not_to_have_value("")
    problems += accessibility_problems(page, language=language)

    # The right permit: the registry names the contractor.
    page.locator('[name="permit_number"]').fill("P-5521")
    page.get_by_role("button", name=_t(language, "Check the permit")).click()
    name = "مؤسسة الربوة للمقاولات" if language == "ar" else "Al-Rabwa Contracting Est."
    # The check posts the form and the page comes back: allow for a busy machine.
    expect(page.locator(".registry-check .alert-success")).to_contain_text(name, timeout=15_000)
    problems += accessibility_problems(page, language=language)
    # The verification check solves itself in the background (antibot.js), then submit.
    page.wait_for_function("() => document.querySelector('[name=antibot_nonce]')?.value !== ''")
    page.get_by_role("button", name=_t(language, "Submit")).click()
    expect(page.locator("h1")).to_have_text(_t(language, "Request received"))
    reference = REFERENCE.search(page.locator("main").inner_text())
    assert reference is not None
    case = Case.objects.get(reference=reference.group(0))
    assert case.answers["registry"]["contractor_name_en"] == "Al-Rabwa Contracting Est."
    assert case.phone == phone
    problems += accessibility_problems(page, language=language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_madinah_meeting_with_an_official(
    fresh_context: Callable[..., BrowserContext], language: str
) -> None:
    from majlis.cases.models import Case

    abdulrahman = CITIZENS[3]
    page = fresh_context(width=DESKTOP, language=None if language == "ar" else language).new_page()
    page.goto("/madinah/services/meet-an-official/")
    page.get_by_role("link", name=_t(language, "Start service")).click()
    _sign_in_with_nafath(page, language, abdulrahman)
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/requests/new/meet-an-official/"))
    problems = accessibility_problems(page, language=language)
    page.locator('[name="office_name"]').fill("مكتب الروضة للاستشارات الهندسية")
    page.locator('[name="classification_number"]').fill("4521")
    page.locator('[name="petition_letter"]').set_input_files(_pdf("petition.pdf"))
    page.locator('[name="id_copy"]').set_input_files(_png("id.png"))
    page.get_by_role("button", name=re.compile("إضافة مرفق|Add an attachment")).click()
    page.locator('[name="other_attachments-0-file"]').set_input_files(_pdf("plan.pdf"))
    page.locator('[name="official"]').select_option(index=1)
    page.locator('[name="notes"]').fill(
        "نرغب في مناقشة مخطط المبنى." if language == "ar" else "Plans"
    )
    page.locator('[name="requested_date"]').fill("2099-03-01")
    page.get_by_role("button", name=_t(language, "Submit")).click()
    expect(page.locator("h1")).to_have_text(_t(language, "Request received"))
    reference = REFERENCE.search(page.locator("main").inner_text())
    assert reference is not None
    case = Case.objects.get(reference=reference.group(0))
    assert case.files.count() == 3
    assert case.department is not None
    assert case.department.code == "customer-service"
    problems += accessibility_problems(page, language=language)
    assert not problems, "\n".join(problems)
