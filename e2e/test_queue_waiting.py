"""Qareeb's citizen screens in a real browser (seeds/000): the form, the SMS code, and a waiting
page that moves without a reload when the agent calls; axe on each screen at 375 px."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import DESKTOP, PHONE, check_accessible, new_context
from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message
from majlis.queueing import services
from majlis.queueing.models import Counter, Ticket


@pytest.fixture
def citizen(browser: Browser, asgi_site: str) -> Iterator[BrowserContext]:
    context = new_context(browser, asgi_site, width=PHONE, language="ar")
    yield context
    context.close()


def _code(phone: str) -> str:
    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    found = re.search(r"\b\d{6}\b", body)
    assert found is not None
    return found[0]


def _join(page: Page, mobile: str) -> Ticket:
    page.goto("/ajman/queue/qareeb/")
    check_accessible(page, language="ar")
    page.get_by_label("رقم الهاتف المتحرك").fill(mobile)
    page.get_by_label("عجمان").check()
    page.get_by_label("قد قرأت الشروط والأحكام وأوافق عليها").check()
    page.get_by_role("button", name="إرسال").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("كلمة المرور لمرة واحدة")
    check_accessible(page, language="ar")
    phone = "+971" + mobile[1:]
    page.get_by_label("كلمة المرور لمرة واحدة (OTP)").fill(_code(phone))
    page.get_by_role("button", name="اتصال").click()
    expect(page.get_by_text("رقمك هو")).to_be_visible()
    return Ticket.objects.get(phone=phone)


def test_the_waiting_page_moves_live_when_the_agent_calls(citizen: BrowserContext) -> None:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    ahead = [
        services.ticket_issue(branch=branch, service=service, citizen=None, phone=f"+9715000000{n}")
        for n in range(2)
    ]
    page = citizen.new_page()
    ticket = _join(page, "0501112233")
    assert ticket.code == "AJ-003"
    expect(page.get_by_text("أنت متصل")).to_be_visible()
    expect(page.get_by_text("أمامك شخصان")).to_be_visible()
    expect(page.locator('[data-field="eta"]')).to_contain_text("لم يبدأ أي موظف العمل بعد")
    check_accessible(page, language="ar")

    agent = User.objects.get(username="ajman.video")
    shift = services.shift_open(
        agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[service]
    )
    called = services.ticket_call_next(shift=shift)
    assert called is not None
    assert called.pk == ahead[0].pk
    # No reload: the branch's one broadcast moves this page's own count and "now serving".
    expect(page.get_by_text("أمامك شخص واحد")).to_be_visible()
    expect(page.locator('[data-field="now"]')).to_have_text("AJ-001")
    expect(page.locator('[data-field="eta"]')).to_contain_text("وقت الانتظار المتوقع")

    services.ticket_no_show(ticket=called, actor=agent)
    second = services.ticket_call_next(shift=shift)
    assert second is not None
    services.ticket_cancel(ticket=second, actor=None)
    mine = services.ticket_call_next(shift=shift)
    assert mine is not None
    assert mine.pk == ticket.pk
    alert = page.get_by_text("حان دورك الآن")
    expect(alert).to_be_visible()
    check_accessible(page, language="ar")


def test_a_page_that_lost_its_socket_catches_up(citizen: BrowserContext) -> None:
    page = citizen.new_page()
    ticket = _join(page, "0501112244")
    branch, service = ticket.branch, ticket.service
    expect(page.get_by_text("لا أحد أمامك")).to_be_visible()
    page.context.set_offline(True)
    # While the phone is offline three people join with priority ahead of it.
    from majlis.queueing.choices import TicketPriority

    for n in range(3):
        services.ticket_issue(
            branch=branch, service=service, citizen=None, phone=f"+9715000001{n}",
            priority=TicketPriority.PRIORITY,
        )  # fmt: skip
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("أمامك 3 أشخاص")).to_be_visible(timeout=20_000)


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_citizen_joins_with_the_keyboard_alone(citizen: BrowserContext) -> None:
    """QUALITY: every reference journey can be completed with the keyboard alone."""
    page = citizen.new_page()
    page.goto("/ajman/queue/qareeb/")
    _tab_to(page, "input[name=mobile]")
    page.keyboard.type("0501112255")
    _tab_to(page, "input[name=branch]")
    page.keyboard.press("Space")  # the first branch, Ajman
    _tab_to(page, "input[name=terms]")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("كلمة المرور لمرة واحدة")
    _tab_to(page, "input[name=code]")
    page.keyboard.type(_code("+971501112255"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("رقمك هو")).to_be_visible()
    ticket = Ticket.objects.get(phone="+971501112255")
    assert ticket.branch.ticket_prefix == "AJ"
    _tab_to(page, "form[action$='/cancel'] button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("تم إلغاء رقم الانتظار هذا.")).to_be_visible()


@pytest.mark.parametrize(("language", "width"), [("en", DESKTOP), ("en", PHONE), ("ar", DESKTOP)])
def test_the_citizen_screens_pass_axe_in_each_language_and_width(
    browser: Browser, asgi_site: str, language: str, width: int
) -> None:
    context = new_context(browser, asgi_site, width=width, language=language)
    try:
        page = context.new_page()
        page.goto("/ajman/queue/qareeb/")
        check_accessible(page, language=language)
        send = page.get_by_role("button", name="Send" if language == "en" else "إرسال")
        send.click()
        expect(page.locator(".field-error").first).to_be_visible()  # the answer has loaded
        check_accessible(page, language=language)  # every field's error shown
        mobile = f"05011123{width % 100:02d}"
        page.locator("input[name=mobile]").fill(mobile)
        page.locator("input[name=branch]").first.check()
        page.locator("input[name=terms]").check()
        send.click()
        # Check the code page once it is there, not the form it replaces (a click returns
        # before the navigation ends).
        expect(page.locator("input[name=code]")).to_be_visible()
        check_accessible(page, language=language)
        page.locator("input[name=code]").fill(_code("+971" + mobile[1:]))
        page.locator("input[name=code]").press("Enter")
        expect(page.locator(".ticket-code")).to_be_visible()
        check_accessible(page, language=language)
    finally:
        context.close()
