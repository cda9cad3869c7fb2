"""Qareeb for the citizen, through the front door: join, code, waiting page, cancel, more time."""

import re
from typing import Any

import pytest

from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message
from majlis.queueing import services
from majlis.queueing.choices import TicketStatus
from majlis.queueing.models import Counter, Ticket

pytestmark = pytest.mark.django_db

JOIN = "/ajman/queue/qareeb/"


def _last_code(phone: str) -> str:
    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    found = re.search(r"\b\d{6}\b", body)
    assert found is not None
    return found[0]


def _join_as_guest(client: Any, mobile: str = "0501112233", branch: str = "AJ") -> Ticket:
    sent = client.post(
        JOIN, {"mobile": mobile, "email": "a@example.org", "branch": branch, "terms": "on"}
    )
    assert sent.status_code == 302
    assert sent["Location"] == f"{JOIN}code/"
    phone = "+971" + mobile[1:]
    done = client.post(f"{JOIN}code/", {"code": _last_code(phone)})
    assert done.status_code == 302
    ticket = Ticket.objects.get(phone=phone)
    assert done["Location"] == f"/ajman/queue/tickets/{ticket.public_id}/"
    return ticket


def test_it_shows_the_qareeb_form_with_the_guides_fields(client: Any, demo: Any) -> None:
    page = client.get(JOIN)
    assert page.status_code == 200
    for label in ("رقم الهاتف المتحرك", "البريد الإلكتروني (اختياري)", "الفرع", "عجمان",
                  "مصفوت", "المنامة", "الشروط والأحكام", "إرسال", "إلغاء"):  # fmt: skip
        assert label in page.text, label


def test_it_starts_from_the_service_card(client: Any, demo: Any) -> None:
    card = client.get("/ajman/services/qareeb/")
    assert f'href="{JOIN}"' in card.text


def test_a_guest_joins_with_a_code_and_gets_a_numbered_ticket_by_sms(
    client: Any, demo: Any
) -> None:
    ticket = _join_as_guest(client)
    assert ticket.code == "AJ-001"
    assert ticket.citizen is not None
    assert ticket.citizen.is_guest
    assert ticket.email == "a@example.org"
    sms = Message.objects.get(kind=MessageKind.TICKET_ISSUED, recipient=ticket.phone)
    assert "AJ-001" in sms.body
    page = client.get(f"/ajman/queue/tickets/{ticket.public_id}/")
    assert page.status_code == 200
    assert "رقمك هو" in page.text
    assert "<bdi>AJ-001</bdi>" in page.text
    assert "أنت متصل" in page.text


def test_it_keeps_what_was_typed_and_explains_each_problem(english: Any, demo: Any) -> None:
    response = english.post(JOIN, {"mobile": "04 234 5678", "email": "not-an-email"})
    assert response.status_code == 400
    assert 'value="04 234 5678"' in response.text
    assert 'value="not-an-email"' in response.text
    assert "Enter a mobile number that can receive SMS" in response.text
    assert "Choose the branch." in response.text
    assert "Please accept the terms and conditions to continue." in response.text
    assert not Message.objects.exists()


def test_an_account_holder_joins_without_a_code_with_the_number_locked(
    client: Any, demo: Any
) -> None:
    citizen = User.objects.create_user(username="sara", phone="+971501234567")
    client.force_login(citizen)
    page = client.get(JOIN)
    assert 'value="+971501234567"' in page.text
    assert "readonly" in page.text
    # A posted number is ignored: the account's own is used.
    done = client.post(JOIN, {"mobile": "0509999999", "branch": "MN", "terms": "on"})
    assert done.status_code == 302
    ticket = Ticket.objects.get(citizen=citizen)
    assert ticket.phone == "+971501234567"
    assert ticket.code == "MN-001"
    assert not Message.objects.filter(kind=MessageKind.SIGN_IN_CODE).exists()
    again = client.get(JOIN)  # holding a ticket: back to it, never a second one
    assert again["Location"] == f"/ajman/queue/tickets/{ticket.public_id}/"


def test_the_status_feed_counts_people_ahead_and_follows_the_call(client: Any, demo: Any) -> None:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    for n in range(3):
        services.ticket_issue(
            branch=branch, service=service, citizen=None, phone=f"+97150000000{n}"
        )
    ticket = _join_as_guest(client)
    url = f"/ajman/queue/tickets/{ticket.public_id}/status"
    first = client.get(url).json()
    assert first["ahead"] == 3
    assert first["status"] == "waiting"
    assert first["eta"] is None  # nobody on duty yet
    agent = User.objects.get(username="ajman.video")
    shift = services.shift_open(
        agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[service]
    )
    called = services.ticket_call_next(shift=shift)
    assert called is not None
    after = client.get(url).json()
    assert after["ahead"] == 2
    assert after["v"] > first["v"]
    assert after["now"] == called.code
    assert after["eta"] is not None
    assert len(after["eta"]) == 51


def test_a_citizen_cancels_and_the_ticket_is_closed(client: Any, demo: Any) -> None:
    ticket = _join_as_guest(client)
    response = client.post(f"/ajman/queue/tickets/{ticket.public_id}/cancel")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CANCELLED
    page = client.get(f"/ajman/queue/tickets/{ticket.public_id}/")
    assert "خذ رقمًا جديدًا" in page.text or "Take a new number" in page.text


def test_nobody_else_reaches_a_ticket_not_even_with_its_link(client: Any, demo: Any) -> None:
    ticket = _join_as_guest(client)
    from django.test import Client

    stranger = Client()
    other = User.objects.create_user(username="other", phone="+971509998877")
    paths = [
        f"/ajman/queue/tickets/{ticket.public_id}/",
        f"/ajman/queue/tickets/{ticket.public_id}/status",
        "/ajman/queue/tickets/nonexistent00/",
        f"/najran/queue/tickets/{ticket.public_id}/",
    ]
    bodies = set()
    for who in (None, other):
        if who is not None:
            stranger.force_login(who)
        for path in paths:
            response = stranger.get(path)
            assert response.status_code == 404, path
            bodies.add(response.content)
        for action in ("cancel", "more-time"):
            response = stranger.post(f"/ajman/queue/tickets/{ticket.public_id}/{action}")
            assert response.status_code == 404
    assert len(bodies) == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING
