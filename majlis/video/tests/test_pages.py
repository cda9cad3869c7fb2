"""The citizen's call page and the agent's call configuration: their gates and their states."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from majlis.accounts.testing import sign_in_staff
from majlis.queueing.choices import TicketStatus
from majlis.video.models import CallSession
from majlis.video.tests.conftest import called_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _urls(ticket: Any) -> dict[str, str]:
    args = ["ajman", ticket.public_id]
    return {name: reverse(f"portal:video:{name}", args=args) for name in ("call", "config")}


def test_it_lets_the_called_citizen_start_the_conversation(
    client: Client, desk: dict[str, Any]
) -> None:
    ticket = called_ticket(desk)
    client.force_login(desk["citizen"])
    page = client.get(_urls(ticket)["call"])
    assert "ابدأ المحادثة" in page.content.decode()
    start = reverse("portal:video:start", args=["ajman", ticket.public_id])
    response = client.post(start)
    assert response.status_code == 302
    assert response["Location"] == _urls(ticket)["call"]
    client.post(start)  # a second press changes nothing
    assert CallSession.objects.filter(ticket=ticket).count() == 1
    live = client.get(_urls(ticket)["call"]).content.decode()
    assert "data-call" in live
    assert "call.js" in live
    config = client.get(_urls(ticket)["config"]).json()
    call = CallSession.objects.get(ticket=ticket)
    assert config["ws"] == f"/ws/calls/{call.public_id}/"
    assert config["role"] == "citizen"
    assert 0 < config["remaining"] <= 30 * 60


def test_it_answers_everyone_else_with_the_same_404(client: Client, desk: dict[str, Any]) -> None:
    ticket = called_ticket(desk)
    client.force_login(desk["citizen"])
    client.post(reverse("portal:video:start", args=["ajman", ticket.public_id]))
    missing = {
        name: client.get(url.replace(ticket.public_id, "nosuchticket"))
        for name, url in _urls(ticket).items()
    }
    for who in ("stranger", None, "agent"):
        other = Client()
        if who:
            other.force_login(desk[who])
        for name, url in _urls(ticket).items():
            response = other.get(url)
            assert response.status_code == 404
            assert response.content == missing[name].content
        start = other.post(reverse("portal:video:start", args=["ajman", ticket.public_id]))
        assert start.status_code == 404
    wrong_authority = client.get(_urls(ticket)["call"].replace("/ajman/", "/najran/"))
    assert wrong_authority.status_code == 404


def test_it_gives_the_agent_of_the_ticket_alone_the_call_config(
    client: Client, desk: dict[str, Any]
) -> None:
    ticket = called_ticket(desk)
    config = reverse("staff:video:config", args=[ticket.public_id])
    sign_in_staff(client, desk["agent"])
    assert client.get(config).json() == {"state": "called", "ws": None, "role": "agent"}
    other = Client()
    sign_in_staff(other, desk["other_agent"])  # works in the same branch, not this ticket's agent
    assert other.get(config).status_code == 404
    assert other.get(reverse("staff:video:call", args=[ticket.public_id])).status_code == 404
    page = client.get(reverse("staff:video:call", args=[ticket.public_id]))
    assert ticket.code in page.content.decode()


def test_it_ends_the_call_for_the_citizen_and_sends_them_on(
    client: Client, desk: dict[str, Any]
) -> None:
    ticket = called_ticket(desk)
    client.force_login(desk["citizen"])
    client.post(reverse("portal:video:start", args=["ajman", ticket.public_id]))
    response = client.post(reverse("portal:video:end", args=["ajman", ticket.public_id]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert client.get(_urls(ticket)["config"]).json()["state"] == "ended"
    assert "انتهت المكالمة" in client.get(_urls(ticket)["call"]).content.decode()
