"""Identity journeys in a real browser, in Arabic and in English, with axe on every page:
a citizen signs in with "UAE PASS" (the stand-in national SSO on the same live server), and a
staff member sets up TOTP and signs in with it."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import LANGUAGES, WIDTHS, accessibility_problems
from majlis.accounts.demo import CITIZENS, STANDIN_PIN
from majlis.catalogue.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _t(language: str, message: str, **values: str) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def _context(fresh_context: Callable[..., BrowserContext], language: str, width: int) -> Page:
    return fresh_context(width=width, language=None if language == "ar" else language).new_page()


JOURNEYS = [
    pytest.param(language, width, id=f"{language}-{width}")
    for language in LANGUAGES
    for width in WIDTHS
]


@pytest.mark.parametrize(("language", "width"), JOURNEYS)
def test_it_signs_a_citizen_in_with_uae_pass(
    fresh_context: Callable[..., BrowserContext], language: str, width: int
) -> None:
    aisha = CITIZENS[0]
    page = _context(fresh_context, language, width)
    page.goto("/ajman/")
    problems = accessibility_problems(page, language=language)

    page.get_by_role("button", name=_t(language, "Sign in with %(name)s", name="UAE PASS")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/sso-demo/identity/o/authorize")
    expect(page.locator("h1")).to_have_text(_t(language, "Stand-in national sign-on"))
    problems += accessibility_problems(page, language=language)

    # A wrong PIN first: the error is shown and announced, then the right one.
    page.get_by_label(_t(language, "National ID number")).fill(aisha.national_id)
    page.get_by_label(_t(language, "PIN")).fill("wrong-pin")
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    expect(page.locator("#form-errors")).to_be_visible()
    problems += accessibility_problems(page, language=language)
    page.get_by_label(_t(language, "National ID number")).fill(aisha.national_id)
    page.get_by_label(_t(language, "PIN")).fill(STANDIN_PIN)
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()

    # Code, token, userinfo: back on the Ajman page, signed in under her name.
    page.wait_for_url(lambda url: urlsplit(url).path == "/ajman/")
    expect(page.locator(".user-name")).to_have_text(" ".join(aisha.name_parts_ar))
    problems += accessibility_problems(page, language=language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "width"), JOURNEYS)
def test_it_signs_staff_in_with_totp(
    fresh_context: Callable[..., BrowserContext], language: str, width: int
) -> None:
    from majlis.accounts.testing import totp_code

    page = _context(fresh_context, language, width)
    # The admin's address leads to our sign-in page.
    page.goto("/admin/")
    assert urlsplit(page.url).path == "/accounts/login/"
    problems = accessibility_problems(page, language=language)
    page.get_by_label(_t(language, "Username")).fill("ajman.supervisor")
    page.get_by_label(_t(language, "Password")).fill(DEMO_PASSWORD)
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()

    # No TOTP yet: set it up before the admin.
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/2fa/totp/activate/")
    expect(page.locator("h1")).to_have_text(_t(language, "Set up two-factor sign-in"))
    problems += accessibility_problems(page, language=language)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("#id_code").fill(totp_code(secret))
    page.get_by_role("button", name=_t(language, "Turn on two-factor sign-in")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/admin/")
    problems += accessibility_problems(page, language=language)

    # Another staff member who has TOTP already: the code is asked for after the password.
    from majlis.accounts.models import User
    from majlis.accounts.testing import give_totp

    secret = give_totp(User.objects.get(username="ajman.video"))
    page.context.clear_cookies()
    if language != "ar":
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
        page.context.add_cookies([{"name": "majlis_language", "value": language, "url": origin}])
    page.goto("/admin/")
    assert urlsplit(page.url).path == "/accounts/login/", page.url
    page.get_by_label(_t(language, "Username")).fill("ajman.video")
    page.get_by_label(_t(language, "Password")).fill(DEMO_PASSWORD)
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/2fa/authenticate/")
    expect(page.locator("h1")).to_have_text(_t(language, "Two-factor sign-in"))
    problems += accessibility_problems(page, language=language)
    page.locator("#id_code").fill("000000")
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    expect(page.locator(".field-error")).to_be_visible()
    problems += accessibility_problems(page, language=language)
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.stack").get_by_role("button", name=_t(language, "Sign in")).click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/admin/")
    assert not problems, "\n".join(problems)
