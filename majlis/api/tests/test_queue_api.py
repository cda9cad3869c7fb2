"""The queue through the mobile API: SMS code → token → join, follow, more time, cancel, rate."""

import re
from typing import Any

import pytest
from django.test import Client

from majlis.accounts.models import User
from majlis.catalogue.models import Branch, Service
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message
from majlis.queueing import services
from majlis.queueing.choices import TicketStatus
from majlis.queueing.models import Counter, Ticket

pytestmark = pytest.mark.django_db


def _token(client: Client, mobile: str) -> str:
    sent = client.post(
        "/api/v1/auth/code", {"mobile": mobile, "authority": "ajman"},
        content_type="application/json",
    )  # fmt: skip
    assert sent.status_code == 202
    phone = "+971" + mobile[1:]
    body = Message.objects.filter(recipient=phone, kind=MessageKind.SIGN_IN_CODE).latest("id").body
    code = re.search(r"\b\d{6}\b", body)
    assert code is not None
    got = client.post(
        "/api/v1/auth/token", {"attempt": sent.json()["attempt"], "code": code[0]},
        content_type="application/json",
    )  # fmt: skip
    assert got.status_code == 200
    return str(got.json()["token"])


def _auth(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_it_runs_the_whole_queue_journey_from_an_app(demo: Any) -> None:
    client = Client()
    token = _token(client, "0501112233")
    queues = client.get("/api/v1/queues/ajman").json()
    assert [q["service"] for q in queues] == ["qareeb", "centre-ticket"]
    assert [b["prefix"] for b in queues[0]["branches"]] == ["AJ", "MS", "MN"]
    joined = client.post(
        "/api/v1/queue/tickets",
        {"authority": "ajman", "service": "qareeb", "branch": "AJ", "accept_terms": True},
        content_type="application/json", **_auth(token),
    )  # fmt: skip
    assert joined.status_code == 201
    ticket = joined.json()
    assert ticket["code"] == "AJ-001"
    assert ticket["status"] == "waiting"
    assert ticket["socket"] == "/ws/queue/ajman/AJ/"
    again = client.post(
        "/api/v1/queue/tickets",
        {"authority": "ajman", "service": "qareeb", "branch": "AJ", "accept_terms": True},
        content_type="application/json", **_auth(token),
    )  # fmt: skip
    assert again.json()["id"] == ticket["id"]
    mine = client.get("/api/v1/queue/tickets", **_auth(token)).json()
    assert [t["code"] for t in mine] == ["AJ-001"]
    rate_early = client.post(
        f"/api/v1/queue/tickets/{ticket['id']}/rating", {"stars": 5},
        content_type="application/json", **_auth(token),
    )  # fmt: skip
    assert rate_early.status_code == 409
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    shift = services.shift_open(
        agent=User.objects.get(username="ajman.video"),
        counter=Counter.objects.get(branch=branch, number="2"), services=[service],
    )  # fmt: skip
    called = services.ticket_call_next(shift=shift)
    assert called is not None
    status = client.get(f"/api/v1/queue/tickets/{ticket['id']}", **_auth(token)).json()
    assert status["status"] == "called"
    assert status["now_serving"] == "AJ-001"
    services.ticket_start(ticket=called, actor=None)
    services.ticket_finish(ticket=called, actor=shift.agent)
    rated = client.post(
        f"/api/v1/queue/tickets/{ticket['id']}/rating", {"stars": 4, "comment": "شكرًا"},
        content_type="application/json", **_auth(token),
    )  # fmt: skip
    assert rated.status_code == 201
    assert Ticket.objects.get(public_id=ticket["id"]).rating.stars == 4


def test_it_answers_errors_per_field_in_the_users_language(demo: Any) -> None:
    client = Client()
    token = _token(client, "0501112233")
    bad = client.post(
        "/api/v1/queue/tickets", {"authority": "ajman", "service": "qareeb", "branch": "XX"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **_auth(token),
    )  # fmt: skip
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert "branch" in errors
    assert errors["terms"] == ["Please accept the terms and conditions to continue."]
    arabic = client.post(
        "/api/v1/auth/code", {"mobile": "12"}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ar",
    )  # fmt: skip
    assert arabic.status_code == 400
    assert "رقم" in arabic.json()["errors"]["mobile"][0]
    wrong_type = client.post(
        "/api/v1/queue/tickets/x/rating", {"stars": "many"}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en", **_auth(token),
    )  # fmt: skip
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"]["stars"] == ["This value is not valid."]


def test_another_citizen_or_no_token_reaches_nothing(demo: Any) -> None:
    client = Client()
    owner = _token(client, "0501112233")
    ticket = client.post(
        "/api/v1/queue/tickets",
        {"authority": "ajman", "service": "qareeb", "branch": "MS", "accept_terms": True},
        content_type="application/json", **_auth(owner),
    ).json()  # fmt: skip
    other = _token(client, "0501112244")
    bodies = set()
    for path in (f"/api/v1/queue/tickets/{ticket['id']}", "/api/v1/queue/tickets/missing"):
        response = client.get(path, **_auth(other))
        assert response.status_code == 404
        bodies.add(response.content)
    for action in ("cancel", "more-time"):
        response = client.post(f"/api/v1/queue/tickets/{ticket['id']}/{action}", **_auth(other))
        assert response.status_code == 404
        bodies.add(response.content)
    assert len(bodies) == 1
    assert client.get(f"/api/v1/queue/tickets/{ticket['id']}").status_code == 401
    assert client.get("/api/v1/queue/tickets", **_auth("forged")).status_code == 401
    assert Ticket.objects.get(public_id=ticket["id"]).status == TicketStatus.WAITING
    signed_out = client.delete("/api/v1/auth/token", **_auth(owner))
    assert signed_out.status_code == 204
    assert client.get("/api/v1/queue/tickets", **_auth(owner)).status_code == 401


def test_it_publishes_an_openapi_document(demo: Any) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Majlis"
    assert "/api/v1/queue/tickets/{ticket_id}/more-time" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
