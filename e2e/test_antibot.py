"""The anti-bot check in a real browser: the puzzle solves in the background and the form goes;
without JavaScript the question is answered with the keyboard alone; axe finds nothing wrong in
Arabic and English, on a phone and a desktop. The demo form is a test-only URL."""

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from e2e.conftest import DESKTOP, LANGUAGES, WIDTHS, accessibility_problems, new_context

pytestmark = [pytest.mark.browser, pytest.mark.urls("majlis.core.tests.antibot_urls")]

URL = "/antibot-demo/"
SEND = "form.stack button[type=submit]"  # not the language button in the header


def _fill(page: Page) -> None:
    page.fill("#id_name", "Amina")
    page.fill("#id_reason", "تجديد التصريح")


def test_it_solves_the_puzzle_and_sends_the_form(
    fresh_context: Callable[..., BrowserContext],
) -> None:
    from majlis.core.models import AntiBotChallenge

    page = fresh_context(language="en").new_page()
    page.goto(URL)
    # The question makes way for the background check, which says when it is done.
    page.locator("[data-antibot-status]").filter(has_text="Check complete").wait_for()
    assert page.locator("[data-antibot-question]").is_hidden()
    assert page.input_value("[data-antibot-nonce]").isdigit()
    _fill(page)
    page.click(SEND)
    page.get_by_role("heading", name="Request sent").wait_for()
    assert not AntiBotChallenge.objects.exists()  # used up


def test_it_holds_a_form_sent_early_until_the_puzzle_is_solved(
    fresh_context: Callable[..., BrowserContext], settings: object
) -> None:
    page = fresh_context(language="en").new_page()
    page.goto(URL)
    _fill(page)
    page.click(SEND)  # at once: the script waits for its nonce, then sends
    page.get_by_role("heading", name="Request sent").wait_for()


def test_it_works_with_the_keyboard_alone_without_javascript(browser, site: str) -> None:
    from majlis.core.models import AntiBotChallenge

    context = browser.new_context(
        base_url=site, java_script_enabled=False, viewport={"width": DESKTOP, "height": 900}
    )
    context.add_cookies([{"name": "majlis_language", "value": "ar", "url": site}])
    try:
        page = context.new_page()
        page.goto(URL)
        question = page.locator("[data-antibot-question] label")
        assert question.is_visible()
        assert "بالأرقام" in question.inner_text()
        answer = AntiBotChallenge.objects.get().answer
        # Tab from the first field through the form; type; Enter sends.
        page.focus("#id_name")
        page.keyboard.type("آمنة")
        page.keyboard.press("Tab")
        page.keyboard.type("تجديد")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_antibot"
        page.keyboard.type("999")  # wrong first: the form comes back with a new question
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".field-error").is_visible()
        assert page.input_value("#id_name") == "آمنة"
        # (axe needs scripts to run, so it checks this state in test_it_is_accessible instead.)
        assert page.get_attribute("#id_antibot", "aria-invalid") == "true"
        answer = AntiBotChallenge.objects.get().answer
        page.focus("#id_antibot")
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="تم إرسال الطلب").wait_for()
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_is_accessible(browser, site: str, language: str, width: int) -> None:
    context = new_context(browser, site, width=width, language=language)
    try:
        page = context.new_page()
        page.goto(URL)
        # Before the script runs (the question) and after (the status message).
        page.locator("[data-antibot-status]").filter(has_text=" ").wait_for()
        problems = accessibility_problems(page)
        page.locator("[data-antibot-question]").wait_for(state="hidden")
        page.wait_for_function("() => document.querySelector('[data-antibot-nonce]').value !== ''")
        problems += accessibility_problems(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
