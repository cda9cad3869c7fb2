"""Every citizen-facing page of the catalogue passes axe (WCAG 2.2 A/AA), in Arabic and English,
on a phone (375 px) and a desktop (1280 px), with `lang`/`dir` right and no sideways scrolling.

Each test walks a group of pages in one tab and reports every problem it met, not just the first.
"""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from e2e.conftest import LANGUAGES, WIDTHS, accessibility_problems

pytestmark = pytest.mark.browser

VIEWS = [
    pytest.param(language, width, id=f"{language}-{width}")
    for language in LANGUAGES
    for width in WIDTHS
]


def _visit(page: Page, path: str) -> list[str]:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path}: status {response.status}"
    return accessibility_problems(page)


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_it_serves_accessible_catalogue_pages(
    page_at: Callable[[str, int], Page], language: str, width: int
) -> None:
    from majlis.catalogue.demo import SERVICES
    from majlis.catalogue.models import Authority, Service

    paths = ["/"]
    paths += [f"/{slug}/" for slug in Authority.objects.values_list("slug", flat=True)]
    paths += [
        f"/{authority}/services/{service}/"
        for authority, service in Service.objects.values_list("authority__slug", "slug")
    ]
    # Every demo service has its card checked (a service the demo adds is picked up here).
    assert len(paths) == 1 + len(SERVICES) + sum(len(rows) for rows in SERVICES.values())
    page = page_at(language, width)
    problems = [problem for path in paths for problem in _visit(page, path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_it_serves_an_accessible_sign_in_page(
    page_at: Callable[[str, int], Page], language: str, width: int
) -> None:
    page = page_at(language, width)
    problems = _visit(page, "/accounts/login/")

    # Nothing typed: an error under each field.
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 2
    problems += accessibility_problems(page)

    # A wrong password: the error for the whole form.
    page.fill("#id_login", "najran.admin")
    page.fill("#id_password", "not-the-password")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible()
    problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_it_serves_an_accessible_offline_page(
    page_at: Callable[[str, int], Page], language: str, width: int
) -> None:
    problems = _visit(page_at(language, width), "/offline/")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "width"), VIEWS)
def test_it_serves_accessible_account_pages(
    page_at: Callable[[str, int], Page], language: str, width: int
) -> None:
    """Create an account and forgot-password, blank and with the errors of an empty submit."""
    page = page_at(language, width)
    problems: list[str] = []
    for path, errors in (("/accounts/register/", 5), ("/accounts/forgot/", 1)):
        problems += _visit(page, path)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".field-error").count() == errors, path
        problems += accessibility_problems(page)
    assert not problems, "\n".join(problems)
