"""Continue as a guest in a real browser: the citizen asks for a code on a phone, a tester reads
it from the outbox as the demo profile shows it, the citizen types it in and is signed in."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import DESKTOP, PHONE, accessibility_problems

pytestmark = pytest.mark.browser

TEXT = {
    "ar": {"sign_in": "تسجيل الدخول", "guest": "تواصل كضيف", "mobile": "رقم الهاتف المتحرك",
           "send": "إرسال", "code": "كلمة المرور لمرة واحدة (OTP)", "connect": "اتصال",
           "sign_out": "تسجيل الخروج", "wrong": "الرمز غير صحيح"},
    "en": {"sign_in": "Sign in", "guest": "Continue as a guest", "mobile": "Mobile number",
           "send": "Send", "code": "One-time password (OTP)", "connect": "Connect",
           "sign_out": "Sign out", "wrong": "The code is not correct"},
}  # fmt: skip


def _code_from_outbox(tester: Page, phone: str) -> str:
    """What a tester does on the demo profile: open the outbox and read the newest code."""
    tester.goto(f"/admin/notifications/message/?q={phone.replace('+', '%2B')}")
    tester.locator("#result_list tbody tr a").first.click()
    text = tester.locator(".field-text .readonly").inner_text()
    return re.search(r"\b\d{6}\b", text)[0]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_it_lets_a_guest_in_with_the_code_from_the_sms(
    fresh_context: Callable[..., BrowserContext], language: str
) -> None:
    text = TEXT[language]
    phone_local, phone = ("0501230001", "+971501230001") if language == "ar" else (
        "0501230002", "+971501230002")  # fmt: skip
    citizen = fresh_context(width=PHONE, language=None if language == "ar" else language).new_page()
    problems: list[str] = []

    citizen.goto("/ajman/")
    citizen.get_by_role("link", name=text["sign_in"]).click()
    citizen.get_by_role("link", name=text["guest"]).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(text["guest"])
    problems += accessibility_problems(citizen)
    citizen.get_by_label(text["mobile"]).fill(phone_local)
    citizen.get_by_role("button", name=text["send"]).click()

    expect(citizen.get_by_role("heading", level=1)).to_have_text(text["code"])
    expect(citizen.locator(".otp-countdown")).to_have_text(re.compile(r"^[23]:\d\d$"))
    expect(citizen.locator("[data-otp-resend-at]")).to_be_disabled()  # the 30 s cooldown
    problems += accessibility_problems(citizen)

    # A wrong code first: the error is next to the field and announced.
    citizen.get_by_label(text["code"]).fill("000000")
    citizen.get_by_role("button", name=text["connect"]).click()
    expect(citizen.locator(".field-error")).to_contain_text(text["wrong"])
    expect(citizen.get_by_label(text["code"])).to_have_attribute("aria-invalid", "true")
    problems += accessibility_problems(citizen)

    tester_context = fresh_context(width=DESKTOP, language=None if language == "ar" else language)
    tester = tester_context.new_page()
    from majlis.accounts.models import User
    from majlis.accounts.testing import give_totp, totp_code

    secret = give_totp(User.objects.get(username="admin"))  # staff sign in with a TOTP code
    tester.goto("/accounts/login/")
    tester.locator("#id_login").fill("admin")
    tester.locator("#id_password").fill("majlis-demo")
    tester.locator("form.stack button[type=submit]").click()
    tester.wait_for_url("**/accounts/2fa/authenticate/")
    tester.locator("#id_code").fill(totp_code(secret))
    tester.locator("form.stack button[type=submit]").click()
    tester.wait_for_load_state()
    code = _code_from_outbox(tester, phone)

    citizen.get_by_label(text["code"]).fill(code)
    citizen.get_by_role("button", name=text["connect"]).click()
    citizen.wait_for_url("**/ajman/")
    expect(citizen.get_by_role("button", name=text["sign_out"])).to_be_visible()
    problems += accessibility_problems(citizen)
    assert not problems, "\n".join(problems)
