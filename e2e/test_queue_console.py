"""The queue's staff side in a browser: the agent's console, the hall's board and the supervisor's
view pass axe in Arabic and English on a phone and a desktop, and the console's waiting list
follows the branch socket without a reload."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import (
    LANGUAGES,
    WIDTHS,
    AsgiSite,
    check_accessible,
    new_context,
    signed_in_context,
)

JOURNEYS = [(language, width) for language in LANGUAGES for width in WIDTHS]


def _busy_desk() -> dict[str, Any]:
    """Ajman's video desk 1 with a called ticket, a note on it and two citizens waiting."""
    from majlis.accounts.models import User
    from majlis.catalogue.models import Branch, Service
    from majlis.queueing import services
    from majlis.queueing.choices import TicketPriority
    from majlis.queueing.models import Counter

    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    agent = User.objects.get(username="ajman.video")
    shift = services.shift_open(
        agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[qareeb]
    )
    for n, priority in enumerate([TicketPriority.NORMAL] * 2 + [TicketPriority.PRIORITY]):
        services.ticket_issue(
            branch=branch, service=qareeb, citizen=None, phone=f"+97150000001{n}",
            priority=priority,
        )  # fmt: skip
    current = services.ticket_call_next(shift=shift)
    assert current is not None
    services.ticket_note_add(ticket=current, author=agent, text="Needs the plot number")
    return {"current": current}


@pytest.mark.parametrize(("language", "width"), JOURNEYS)
def test_it_shows_an_accessible_console(
    browser: Browser, site: str, fresh_context: Callable[..., BrowserContext], language: str,
    width: int,
) -> None:  # fmt: skip
    desk = _busy_desk()
    context = signed_in_context(browser, site, "ajman.video", width=width, language=language)
    try:
        page = context.new_page()
        page.goto("/staff/queue/")
        expect(page.locator("#current")).to_contain_text(desk["current"].code)
        expect(page.locator("#waiting-live li")).to_have_count(2)
        check_accessible(page, language=language)
        # The other agent has no shift yet: the form that opens one.
        other = signed_in_context(browser, site, "ajman.counter", width=width, language=language)
        form = other.new_page()
        form.goto("/staff/queue/")
        expect(form.locator("select[name=counter]")).to_be_visible()
        check_accessible(form, language=language)
        other.close()
    finally:
        context.close()


@pytest.mark.parametrize(("language", "width"), JOURNEYS)
def test_it_shows_an_accessible_board_and_overview(
    browser: Browser, site: str, page_at: Callable[[str, int], Page], language: str, width: int
) -> None:
    desk = _busy_desk()
    page = page_at(language, width)
    page.goto("/ajman/queue/board/AJ/")
    expect(page.locator("#board-live")).to_contain_text(desk["current"].code)
    expect(page.locator("#board-sound")).to_be_visible()  # shown once the script runs
    check_accessible(page, language=language)
    page.locator("#board-sound").click()
    expect(page.locator("#board-sound")).to_have_attribute("aria-pressed", "true")

    context = signed_in_context(browser, site, "ajman.supervisor", width=width, language=language)
    try:
        overview = context.new_page()
        overview.goto("/staff/queue/supervisor/ajman/AJ/")
        expect(overview.locator('[data-figure="waiting"]')).to_have_text("2")
        check_accessible(overview, language=language)
    finally:
        context.close()


def test_it_updates_the_waiting_list_live(browser: Browser, asgi_site: AsgiSite) -> None:
    from majlis.accounts.models import User
    from majlis.catalogue.models import Branch, Service
    from majlis.queueing import services
    from majlis.queueing.models import Counter

    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    services.shift_open(
        agent=User.objects.get(username="ajman.video"),
        counter=Counter.objects.get(branch=branch, number="1"), services=[qareeb],
    )  # fmt: skip
    context = signed_in_context(browser, asgi_site.url, "ajman.video", width=1280, language="en")
    try:
        page = context.new_page()
        # Once the socket is open the page fetches its list (whatever it missed meanwhile).
        live = page.expect_response(lambda r: r.url.endswith("/staff/queue/live"))
        with page.expect_websocket() as opened, live:
            page.goto("/staff/queue/")
        socket = opened.value
        expect(page.locator("#waiting-live")).to_contain_text("Nobody is waiting.")
        page.evaluate("() => { window.__sameDocument = true; }")

        with socket.expect_event("framereceived"):
            ticket = asgi_site.call(
                services.ticket_issue, branch=branch, service=qareeb, citizen=None,
                phone="+971500000099",
            )  # fmt: skip
        expect(page.locator("#waiting-live")).to_contain_text(ticket.code)
        expect(page.locator("#waiting-count")).to_have_text("1 waiting")
        assert page.evaluate("() => window.__sameDocument === true")  # no reload
    finally:
        context.close()


def test_it_calls_on_the_board_live(browser: Browser, asgi_site: AsgiSite) -> None:
    from majlis.accounts.models import User
    from majlis.catalogue.models import Branch, Service
    from majlis.queueing import services
    from majlis.queueing.models import Counter

    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    shift = services.shift_open(
        agent=User.objects.get(username="ajman.video"),
        counter=Counter.objects.get(branch=branch, number="2"), services=[qareeb],
    )  # fmt: skip
    ticket = services.ticket_issue(branch=branch, service=qareeb, citizen=None, phone="+97150001")
    context = new_context(browser, asgi_site.url, width=1280, language="ar")
    try:
        page = context.new_page()
        live = page.expect_response(lambda r: "part=live" in r.url)
        with page.expect_websocket() as opened, live:
            page.goto("/ajman/queue/board/AJ/")
        expect(page.locator("#board-live")).to_contain_text("لا يوجد نداء في هذه اللحظة.")
        page.evaluate("() => { window.__sameDocument = true; }")
        with opened.value.expect_event("framereceived"):
            asgi_site.call(services.ticket_call_next, shift=shift)
        expect(page.locator("#board-live li").first).to_contain_text(ticket.code)
        expect(page.locator("#board-live li").first).to_contain_text("مكتب الاتصال المرئي 2")
        assert page.evaluate("() => window.__sameDocument === true")
    finally:
        context.close()
