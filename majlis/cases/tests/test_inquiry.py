"""The public transaction inquiry (seed 001 §3): number and year in, number and status out.

QUALITY S4 (a wrong year, an unknown number and another authority's number look the same) and
S6 (walking through sequential numbers reveals statuses only), and the per-address cap.
"""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from majlis.accounts.models import User
from majlis.cases import services
from majlis.cases.models import Case
from majlis.cases.testing import saudi_id
from majlis.cases.views.documents import INQUIRY_LIMIT
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core import ratelimit

pytestmark = pytest.mark.django_db

NOT_FOUND = "لا يوجد طلب بهذا الرقم وهذه السنة"


def _file(slug: str, service_slug: str, citizen: User, serial: int) -> Case:
    service = Service.objects.get(authority__slug=slug, slug=service_slug)
    answers = {
        "full_name": ["سلمى", "راشد", f"ناصر{serial}", "القحطاني"],
        "national_id": saudi_id(500 + serial),
        "mobile": f"+9665055500{serial:02d}",
        "email": f"person{serial}@example.com",
        "visit_subject": f"موضوع سري رقم {serial}",
    }
    return services.case_submit(
        service=service, version=form_version_current(service=service), citizen=citizen,
        answers=answers, files={}, language="ar",
    )  # fmt: skip


def _najran(citizen: User, serial: int) -> Case:
    return _file("najran", "emirate-appointment", citizen, serial)


def _ask(client: Any, number: str, year: Any, slug: str = "najran", **extra: Any) -> Any:
    url = reverse("portal:cases:inquiry", args=[slug])
    return client.get(url, {"number": number, "year": str(year)}, **extra)


def _scrub(body: str) -> str:
    """The page without what echoes the request itself: the typed values kept in the form and
    the page's own address (language switch, sign-in link), and the per-render CSRF token."""
    body = re.sub(r'(name="(?:number|year|next|csrfmiddlewaretoken)"[^>]*? value=")[^"]*"',
                  r'\1"', body)  # fmt: skip
    return re.sub(r"next=[^\"&]*", "next=", body)


def test_it_shows_the_number_and_status_only(client, demo, amina):
    case = _najran(amina, 1)
    response = _ask(client, "1", case.year)
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference in body
    assert "مقدَّم" in body
    assert NOT_FOUND not in body
    # The full reference as typed works too, and Arabic-Indic digits.
    assert case.reference in _ask(client, case.reference, case.year).content.decode()
    arabic_year = str(case.year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert case.reference in _ask(client, "١", arabic_year).content.decode()


def test_wrong_year_unknown_number_other_authority_and_nonsense_look_alike(client, demo, amina):
    """S4: nothing in the answer tells a number that exists from one that does not."""
    najran = _najran(amina, 1)
    for serial in (1, 2, 3):  # Madinah has numbers 1-3 this year; Najran only 1
        madinah = _file("madinah", "meet-an-official", amina, serial)
    assert madinah.number == 3
    year = najran.year
    answers = [
        _ask(client, "1", year - 1),  # a known number in the wrong year
        _ask(client, "1", year + 1),
        _ask(client, "999999", year),  # an unknown number
        _ask(client, "3", year),  # Madinah's number, asked of Najran
        _ask(client, madinah.reference, year),  # Madinah's full reference, asked of Najran
        _ask(client, f"NJR-{year}-000002", year),
        _ask(client, "abc", year),  # nonsense
        _ask(client, "1", "abcd"),
        _ask(client, "1", "99999"),
        _ask(client, "1", "2999"),  # a year beyond the Hijri calendar's table
        _ask(client, "1'; DROP TABLE cases_case; --", year),
    ]
    bodies = {_scrub(response.content.decode()) for response in answers}
    assert {response.status_code for response in answers} == {200}
    assert len(bodies) == 1
    body = bodies.pop()
    assert NOT_FOUND in body
    assert najran.reference not in body
    # The not-found message itself repeats nothing that was typed.
    message = re.search(r'<div class="aegov-alert alert-error" role="alert">(.*?)</div>', body)
    assert message is not None
    assert "999999" not in message.group(1)


def test_walking_through_sequential_numbers_reveals_statuses_only(client, demo, amina, omar):
    """S6: every request's number and status, and not one personal detail."""
    cases = [_najran(amina if serial % 2 else omar, serial) for serial in range(1, 6)]
    officer = User.objects.create_user(username="decider", is_staff=True)
    services.case_staff_move(case=cases[1], move="reject", actor=officer, note="سبب الرفض السري")
    year = cases[0].year
    secrets = ["سبب الرفض السري", "طلب موعد مع الإمارة", amina.display_name, omar.display_name]
    for case in cases:
        case.refresh_from_db()
        secrets += [case.applicant_name, case.national_id, case.phone, case.phone[4:],
                    case.email, case.answers["visit_subject"], "ناصر"]  # fmt: skip
    seen = {}
    for number in range(1, 9):
        body = _ask(client, str(number), year).content.decode()
        for secret in secrets:
            assert secret not in body, (number, secret)
        found = re.findall(r"<bdi>(NJR-\d{4}-\d{6})</bdi>", body)
        seen[number] = found[0] if found else None
    assert seen == {n: cases[n - 1].reference if n <= 5 else None for n in range(1, 9)}
    assert "مرفوض" in _ask(client, "2", year).content.decode()


def test_a_gregorian_year_finds_a_request_numbered_in_the_hijri_year(client, demo, amina):
    case = _najran(amina, 1)
    # Hijri 1447 ran from June 2025 to June 2026: a request numbered in it is found by either.
    Case.objects.filter(pk=case.pk).update(year=1447, number=5, reference="NJR-1447-000005")
    for year in (1447, 2025, 2026):
        assert "NJR-1447-000005" in _ask(client, "5", year).content.decode(), year
    for year in (1446, 1448, 2024, 2027):
        assert NOT_FOUND in _ask(client, "5", year).content.decode(), year
    # This year's requests too, by the Gregorian year of today.
    today = _najran(amina, 2)
    body = _ask(client, str(today.number), timezone.localdate().year).content.decode()
    assert today.reference in body


def test_the_cap_per_address_answers_429_and_looks_nothing_up(client, demo, amina):
    case = _najran(amina, 1)
    for _turn in range(INQUIRY_LIMIT):
        assert _ask(client, "77", case.year).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        refused = _ask(client, "1", case.year)
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "أجريت استعلامات كثيرة" in body
    assert case.reference not in body
    assert not [q for q in queries.captured_queries if "cases_case" in q["sql"]]
    # A forged X-Forwarded-For is not another address; another address has its own turns.
    assert _ask(client, "1", case.year, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    other = _ask(client, "1", case.year, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200
    assert case.reference in other.content.decode()


def test_it_refuses_rather_than_look_up_unlimited_when_the_cap_store_is_down(
    client, demo, amina, settings
):
    case = _najran(amina, 1)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ratelimit._redis.cache_clear()
    response = _ask(client, "1", case.year)
    assert response.status_code == 503
    assert case.reference not in response.content.decode()


def test_the_form_names_the_year_by_the_authoritys_calendar(client, english, demo):
    najran = english.get(reverse("portal:cases:inquiry", args=["najran"])).content.decode()
    assert "Hijri year" in najran
    amman = english.get(reverse("portal:cases:inquiry", args=["amman"])).content.decode()
    assert "Hijri year" not in amman
    assert ">Year" in amman
    # Left empty: the fields say what is missing; nothing is looked up.
    empty = english.get(
        reverse("portal:cases:inquiry", args=["najran"]), {"number": "", "year": ""}
    )
    assert empty.status_code == 400
    assert "Enter the request number." in empty.content.decode()
    assert english.get("/nowhere/requests/inquiry/").status_code == 404


def test_the_authority_page_links_to_the_inquiry(client, demo):
    page = client.get(reverse("portal:catalogue:authority", args=["najran"])).content.decode()
    assert reverse("portal:cases:inquiry", args=["najran"]) in page
