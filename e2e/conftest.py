"""Browser fixtures: one headless Chromium for the whole run, a live server with the demo data,
and the accessibility check every page must pass (QUALITY.md, "Accessibility and language").

Pages are checked as a visitor gets them: the site's own Content-Security-Policy stays on, so a
style or script it blocks is missing here too. axe-core goes in through Playwright's `evaluate`,
which the page's CSP does not govern.
"""

import functools
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API keeps an asyncio event loop in the test thread, and Django's ORM refuses to
# run in a thread with a loop unless told it is safe. It is here: fixtures and tests call the ORM
# between browser calls, never from inside a coroutine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = ("ar", "en")
PHONE, DESKTOP = 375, 1280
WIDTHS = (PHONE, DESKTOP)
HEIGHTS = {PHONE: 812, DESKTOP: 900}

_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


_BROKEN_REFERENCES = """() => {
  const broken = [];
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby], label[for]")) {
    for (const attr of ["aria-describedby", "aria-labelledby", "for"]) {
      for (const id of (el.getAttribute(attr) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          broken.push(`<${el.localName}${el.id ? " id=" + el.id : ""} ${attr}="${id}">`);
        }
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server: Any, transactional_db: None, settings: Any) -> str:
    """The live server's address, with the demo data loaded (tables are emptied after each test).

    The stand-in national SSO answers on the live server too: its issuer is the live server's
    address, and the demo's "UAE PASS" and "Nafath" point there, as `make run` sets them up.
    """
    from majlis.catalogue.demo import demo_load

    settings.SSO_STANDIN_ISSUER = f"{live_server.url}/sso-demo"
    demo_load()
    return str(live_server.url)


def new_context(
    browser: Browser, base_url: str, *, width: int, language: str | None
) -> BrowserContext:
    """A visitor's browser at one width; `language` sets the cookie the language button sets."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": HEIGHTS.get(width, 900)},
        # The service worker would cache pages between tests; its own behaviour is tested apart.
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    if language:
        context.add_cookies([{"name": "majlis_language", "value": language, "url": base_url}])
    return context


def signed_in_context(
    browser: Browser, base_url: str, user: Any, *, width: int = DESKTOP, language: str | None = None
) -> BrowserContext:
    """A context holding `user`'s session (a User or a username), as after signing in: staff
    with their TOTP proven, citizens as after national sign-on."""
    from django.conf import settings
    from django.test import Client

    from majlis.accounts.models import User
    from majlis.accounts.testing import sign_in_staff

    if isinstance(user, str):
        user = User.objects.get(username=user)
    client = Client()
    if user.is_staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    context = new_context(browser, base_url, width=width, language=language)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    return context


@pytest.fixture(scope="session")
def _contexts(
    browser: Browser, live_server: Any
) -> Iterator[dict[tuple[str, int], BrowserContext]]:
    contexts: dict[tuple[str, int], BrowserContext] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def page_at(
    browser: Browser, site: str, _contexts: dict[tuple[str, int], BrowserContext]
) -> Iterator[Callable[[str, int], Page]]:
    """`page_at("ar", 375)`: a new tab in the shared anonymous context for that language and width.

    Contexts live for the whole run (one per language and width); tabs are closed after the test.
    """
    pages: list[Page] = []

    def open_page(language: str, width: int) -> Page:
        key = (language, width)
        if key not in _contexts:
            _contexts[key] = new_context(browser, site, width=width, language=language)
        page = _contexts[key].new_page()
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


@pytest.fixture
def fresh_context(browser: Browser, site: str) -> Iterator[Callable[..., BrowserContext]]:
    """A context of its own, for journeys that sign in or change the language."""
    contexts: list[BrowserContext] = []

    def make(*, width: int = DESKTOP, language: str | None = None) -> BrowserContext:
        context = new_context(browser, site, width=width, language=language)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def expected_language(page: Page) -> str:
    """The language the visitor chose (the language button's cookie); Arabic without one."""
    for cookie in page.context.cookies(page.url):
        if cookie["name"] == "majlis_language":
            return cookie["value"]
    return "ar"


def page_problems(page: Page, *, language: str | None = None) -> list[str]:
    """What axe does not look at: `lang`/`dir`, sideways scrolling on a phone, dangling ids.

    `language` defaults to the one the visitor chose, so a page in the wrong language fails.
    """
    language = language or expected_language(page)
    problems: list[str] = []
    # A document still being replaced has no <html> yet: check the page once it has loaded.
    page.wait_for_load_state("load")
    where = page.url
    facts = page.evaluate(
        """() => ({
          lang: document.documentElement.getAttribute("lang"),
          dir: document.documentElement.getAttribute("dir"),
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        })"""
    )
    expected_dir = "rtl" if language == "ar" else "ltr"
    if facts["lang"] != language or facts["dir"] != expected_dir:
        problems.append(
            f'{where}: <html lang="{facts["lang"]}" dir="{facts["dir"]}">, '
            f'expected lang="{language}" dir="{expected_dir}"'
        )
    if facts["innerWidth"] <= PHONE and facts["scrollWidth"] > facts["innerWidth"]:
        problems.append(
            f"{where}: scrolls sideways at {facts['innerWidth']} px "
            f"(content is {facts['scrollWidth']} px wide)"
        )
    _screenshot(page, language)
    # axe only asks for a review when aria-describedby points nowhere; a visitor just never hears
    # the error it meant to name, so that fails here.
    for broken in page.evaluate(_BROKEN_REFERENCES):
        problems.append(f"{where}: {broken} names no element on the page")
    return problems


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now (id, impact, help, targets)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return list(page.evaluate(_AXE_RUN, AXE_TAGS))


def describe(where: str, violation: dict[str, Any]) -> str:
    targets = "\n      ".join(violation["targets"])
    summary = violation["summary"].replace("\n", " / ")
    return (
        f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"      {targets}\n      {summary}"
    )


def accessibility_problems(page: Page, *, language: str | None = None) -> list[str]:
    """Everything wrong with the page as shown: `page_problems` and every axe violation."""
    problems = page_problems(page, language=language)
    problems += [describe(page.url, violation) for violation in axe_violations(page)]
    return problems


def check_accessible(page: Page, *, language: str | None = None) -> None:
    problems = accessibility_problems(page, language=language)
    assert not problems, "\n".join(problems)


def _screenshot(page: Page, language: str) -> None:
    """With MAJLIS_E2E_SCREENSHOTS=DIR, every checked page is saved there as a full-page PNG, to
    look at the layout (mirroring, wrapping, overlaps) that no rule checks."""
    folder = os.environ.get("MAJLIS_E2E_SCREENSHOTS")
    if not folder:
        return
    path = urlsplit(page.url).path.strip("/").replace("/", "-") or "home"
    width = (page.viewport_size or {"width": 0})["width"]
    name = f"{path}-{language}-{width}"
    target = Path(folder) / f"{name}.png"
    for number in itertools.count(2):  # the same page in another state: sign-in with errors
        if not target.exists():
            break
        target = Path(folder) / f"{name}-{number}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=target, full_page=True)


@functools.cache
def _axe_source() -> str:
    return AXE.read_text()


class AsgiSite(str):
    """The app server's base URL (a str, for `new_context` and `goto`), with `call` to run a
    service in the server's own event loop."""

    loop: Any

    @property
    def url(self) -> str:
        return str(self)

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run `function` (a service, say) in a worker thread of the server's event loop, so the
        broadcasts it makes after commit reach the in-memory channel layer from the loop that
        holds the sockets. With Redis configured a direct call works too."""
        import asyncio

        from asgiref.sync import sync_to_async
        from django.db import connections

        def run() -> Any:
            try:
                return function(*args, **kwargs)
            finally:
                connections.close_all()  # the worker thread outlives the test's database

        call = sync_to_async(run, thread_sensitive=False)()
        return asyncio.run_coroutine_threadsafe(call, self.loop).result(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def asgi_site(transactional_db: None, settings: Any) -> Iterator[AsgiSite]:
    """The whole app under uvicorn (HTTP and WebSockets) in a thread of this process, on the test
    database with the demo data, as `majlis serve` runs it.

    With Redis configured, changes the test makes by calling services reach the app's sockets
    through Redis, as a worker's changes do in production; a channel prefix of its own keeps
    parallel tests apart. Without it, use `asgi_site.call` (in-memory layer, one loop).
    """
    import asyncio
    import threading
    import time
    import uuid

    import uvicorn
    from channels.layers import channel_layers
    from django.core.asgi import get_asgi_application

    from config.asgi import build_application
    from majlis.catalogue.demo import demo_load
    from majlis.core.fanout import hub_close
    from majlis.queueing.consumers import branch_cache_clear

    if settings.REDIS_URL:
        prefix = f"e2e{uuid.uuid4().hex[:12]}"
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": prefix},
            }
        }
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    branch_cache_clear()  # the demo branches are made again, under new ids
    port = _free_port()
    settings.SSO_STANDIN_ISSUER = f"http://127.0.0.1:{port}/sso-demo"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    # Static files straight from the app folders (no collectstatic), as under `majlis serve`.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    demo_load()
    # Built here, not imported: middleware and the origin check read settings when made.
    application = build_application(get_asgi_application())
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    loop = asyncio.new_event_loop()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.serve())
        # The fan-out hub's Redis connection belongs to this loop: closed once the server has
        # stopped (before, a socket still closing could open a new hub), not at collection.
        loop.run_until_complete(hub_close())

    thread = threading.Thread(target=serve, name="asgi-site", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start in 20 s"
        time.sleep(0.05)
    site = AsgiSite(f"http://127.0.0.1:{port}")
    site.loop = loop
    yield site
    server.should_exit = True
    thread.join(timeout=10)
    loop.close()
    channel_layers.backends.clear()
