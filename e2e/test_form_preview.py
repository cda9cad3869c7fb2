"""The form engine's page script in a real browser, on the admin's preview of Najran's form:
the destination appears only for "a specific department", "Add companion" adds numbered rows
that can be removed again, and the page passes axe in both languages at both widths."""

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, expect

from e2e.conftest import LANGUAGES, WIDTHS, accessibility_problems
from majlis.accounts.testing import give_totp, totp_code
from majlis.catalogue.demo import DEMO_PASSWORD


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_najran_form_shows_fields_and_adds_companions_in_the_browser(
    fresh_context: Callable[..., BrowserContext], site: str, language: str, width: int
) -> None:
    from majlis.accounts.models import User
    from majlis.catalogue.models import FormDefinition

    secret = give_totp(User.objects.get(username="najran.admin"))
    definition = FormDefinition.objects.get(service__slug="emirate-appointment")
    page = fresh_context(width=width, language=None if language == "ar" else language).new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("najran.admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/2fa/authenticate/")
    page.locator("#id_code").fill(totp_code(secret))
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/2fa/authenticate/")
    page.goto(reverse("admin:catalogue_formdefinition_preview", args=[definition.pk]))

    section = page.locator(f'section[lang="{language}"]')
    destination = section.locator('[data-field="destination"]')
    expect(destination).to_be_hidden()
    section.locator(f"#id_{language}-appointment_type").select_option("department")
    expect(destination).to_be_visible()
    section.locator(f"#id_{language}-appointment_type").select_option("emir")
    expect(destination).to_be_hidden()

    add = section.locator("[data-formset-add]")
    add.click()
    add.click()
    total = section.locator(f'[name="{language}-companions-TOTAL_FORMS"]')
    expect(total).to_have_value("2")
    section.locator(f"#id_{language}-companions-1-name").fill("Second")
    problems = accessibility_problems(page, language=language)
    section.locator("[data-formset-remove]").first.click()
    expect(total).to_have_value("1")
    expect(section.locator(f"#id_{language}-companions-0-name")).to_have_value("Second")
    assert not problems, "\n".join(problems)
