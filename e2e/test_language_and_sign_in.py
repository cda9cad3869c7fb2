"""Journeys through the front door: the language button, staff sign-in into the Arabic admin, and
the sign-in page with the keyboard alone."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    WIDTHS,
    accessibility_problems,
    axe_violations,
    check_accessible,
    describe,
    page_problems,
)
from majlis.catalogue.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _t(language: str, message: str) -> str:
    """What the page shows for `message` in `language` (the site's own translation)."""
    with translation.override(language):
        return translation.gettext(message)


def _html_language(page: Page) -> tuple[str | None, str | None]:
    root = page.locator("html")
    return root.get_attribute("lang"), root.get_attribute("dir")


def test_it_keeps_the_language_the_visitor_chose(
    fresh_context: Callable[..., BrowserContext],
) -> None:
    from majlis.catalogue.models import Service

    service = Service.objects.select_related("authority").order_by("authority__position").first()
    assert service is not None
    path = f"/{service.authority.slug}/services/{service.slug}/"
    page = fresh_context(width=PHONE).new_page()  # no language cookie: a first visit
    page.goto(path)
    assert _html_language(page) == ("ar", "rtl")
    expect(page.locator("h1")).to_have_text(service.name_ar)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith(path), "the language button should bring the visitor back"
    assert _html_language(page) == ("en", "ltr")
    expect(page.locator("h1")).to_have_text(service.name_en)
    check_accessible(page, language="en")

    # The next page they open is English too: the choice is remembered, not passed along.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Services").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{service.authority.slug}/")
    assert _html_language(page) == ("en", "ltr")
    expect(page.locator("h1")).to_have_text("Services")

    # And back to Arabic with the same button, now labelled in Arabic.
    page.get_by_role("button", name="العربية").click()
    page.wait_for_load_state()
    assert _html_language(page) == ("ar", "rtl")


def _sign_in(page: Page, language: str, username: str = "najran.admin") -> None:
    """Password, then the TOTP code (staff have TOTP set up; the code comes from its secret)."""
    from majlis.accounts.models import User
    from majlis.accounts.testing import give_totp, totp_code

    secret = give_totp(User.objects.get(username=username))
    page.goto("/accounts/login/")
    page.get_by_label(_t(language, "Username")).fill(username)
    page.get_by_label(_t(language, "Password")).fill(DEMO_PASSWORD)
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    page.wait_for_load_state()


STAFF_VIEWS = [
    pytest.param(language, width, id=f"{language}-{width}")
    for language in LANGUAGES
    for width in WIDTHS
]


@pytest.mark.parametrize(("language", "width"), STAFF_VIEWS)
def test_it_signs_staff_in_to_the_admin_in_their_language(
    fresh_context: Callable[..., BrowserContext], language: str, width: int
) -> None:
    # Arabic is what a first visit gets; English is chosen with the cookie the button sets.
    page = fresh_context(width=width, language=None if language == "ar" else language).new_page()
    _sign_in(page, language)
    assert page.url.endswith("/admin/"), page.url
    assert _html_language(page) == (language, "rtl" if language == "ar" else "ltr")
    expect(page.locator("#site-name")).to_have_text(_t(language, "Majlis administration"))
    problems = accessibility_problems(page, language=language)

    page.goto("/admin/catalogue/service/")
    expect(page.locator("#result_list")).to_be_visible()
    problems += accessibility_problems(page, language=language)

    # Save a service unchanged through its form, so its history has an entry to show, then open
    # the history from the form's own link.
    page.locator("#result_list tbody a").first.click()
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    page.locator("a.historylink").click()
    page.wait_for_load_state()
    assert page.url.endswith("/history/"), page.url
    expect(page.locator("#change-history tbody tr")).to_have_count(1)
    expect(page.locator("#change-history tbody")).to_contain_text("catalogue.service.changed")
    problems += accessibility_problems(page, language=language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "width"), STAFF_VIEWS)
def test_it_shows_staff_an_accessible_service_form(
    fresh_context: Callable[..., BrowserContext], language: str, width: int
) -> None:
    page = fresh_context(width=width, language=None if language == "ar" else language).new_page()
    _sign_in(page, language)
    page.goto("/admin/catalogue/service/")
    page.locator("#result_list tbody a").first.click()
    page.wait_for_load_state()
    expect(page.locator("input[name=branches]").first).to_be_attached()  # labelled checkboxes

    problems = page_problems(page, language=language)
    problems += [describe(page.url, v) for v in axe_violations(page)]
    assert not problems, "\n".join(problems)


def test_it_reaches_the_sign_in_form_with_the_keyboard(
    fresh_context: Callable[..., BrowserContext],
) -> None:
    page = fresh_context(width=DESKTOP).new_page()
    page.goto("/accounts/login/")

    def focused() -> str:
        return str(
            page.evaluate(
                """() => {
                  const el = document.activeElement;
                  if (el.id) return "#" + el.id;
                  if (el.classList.contains("skip-link")) return "skip-link";
                  return el.localName + ":" + (el.textContent || el.value || "").trim();
                }"""
            )
        )

    # The first Tab lands on the skip link, and it shows itself.
    page.keyboard.press("Tab")
    assert focused() == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link should be on screen"

    # Tabbing on reaches the username, the password and the button, in that order, nothing between.
    order = []
    for _ in range(16):
        page.keyboard.press("Tab")
        order.append(focused())
        if order[-2:-1] == ["#id_password"]:
            break
    assert "#id_login" in order, order
    start = order.index("#id_login")
    assert order[start:] == ["#id_login", "#id_password", f"button:{_t('ar', 'Sign in')}"], order

    # The skip link goes straight to the page: Enter on it, then Tab, is the first national
    # sign-on button, and one Tab per service later the username field.
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert any(name in focused() for name in ("UAE PASS", "النفاذ الوطني")), focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused() == "#id_login"

    # And the whole sign-in works from the keyboard, the TOTP code too.
    from majlis.accounts.models import User
    from majlis.accounts.testing import give_totp, totp_code

    secret = give_totp(User.objects.get(username="najran.admin"))
    page.keyboard.type("najran.admin")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/2fa/authenticate/")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # back to the page from the address bar's point of view
    page.locator("#id_code").focus()
    page.keyboard.type(totp_code(secret))
    page.keyboard.press("Enter")
    # (The skip link's #main rides along through the redirects; only the path matters.)
    page.wait_for_url(lambda url: urlsplit(url).path == "/admin/")
