"""QUALITY S5: the object-access matrix over every route that takes an object's code.

The routes are read from the URL configuration, so a new route with an object code and no row
here fails `test_it_covers_every_route_with_an_object_code`. For each route, everyone but the
rightful person (anonymous, the other citizen, staff of another department or authority) gets a
404 whose body is byte for byte the one they get for a code that does not exist; the rightful
person gets something else, which proves the URL reached the object. Anonymous visitors may be
sent to sign in first (staff pages, the API's 401), as long as that answer is the same for a
code that does not exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from majlis.accounts.models import User
from majlis.accounts.services import api_token_issue
from majlis.accounts.testing import sign_in_staff
from majlis.cases import services as cases
from majlis.cases.testing import a_file
from majlis.catalogue.models import Branch, Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.choices import UploadStatus
from majlis.core.models import Upload
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.services import upload_accept
from majlis.queueing import services as queueing
from majlis.queueing.models import Counter

ROOT = Path(__file__).resolve().parent.parent
# URL parameters that name one person's object (a request, a ticket, an uploaded file).
OBJECT_PARAMS = ("reference", "public_id", "upload_id", "ticket_id")
# Routes with such a parameter that are not one person's object, and why.
EXEMPT = {
    "portal:queueing:board": "a branch's public hall display (codes only, like the TV on the wall)",
}
MISSING = {"reference": "NJR-1400-999999", "public_id": "nosuchcode00", "ticket_id": "nosuchcode00"}
CITIZENS = ("anonymous", "amina", "omar")
OFFICERS = ("khalid", "huda", "agent")


def _routes(resolver: URLResolver, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))
    return found


def routes_with_object_codes() -> set[str]:
    return {
        name
        for name, pattern in _routes(get_resolver())
        if not name.startswith("admin:")  # the admin: model permissions, primary keys, staff only
        and any(f"<{p}>" in pattern or f":{p}>" in pattern for p in OBJECT_PARAMS)
    }


@dataclass(frozen=True)
class Row:
    """One route: who may use it, how it is called, and the objects its URL names."""

    owner: str
    outsiders: tuple[str, ...]
    method: str = "get"
    args: Callable[[dict[str, Any]], list[str]] = lambda w: []
    data: dict[str, Any] = field(default_factory=dict)
    api: bool = False


def _case(w: dict[str, Any]) -> list[str]:
    return ["najran", w["case"].reference]


def _case_file(w: dict[str, Any]) -> list[str]:
    return [*_case(w), w["upload"].public_id]


def _staff_case(w: dict[str, Any]) -> list[str]:
    return [w["case"].reference]


def _staff_case_file(w: dict[str, Any]) -> list[str]:
    return [w["case"].reference, w["upload"].public_id]


def _ticket(w: dict[str, Any]) -> list[str]:
    return ["ajman", w["ticket"].public_id]


def _staff_ticket(w: dict[str, Any]) -> list[str]:
    return [w["ticket"].public_id]


NOT_OWNER_OF_CASE = ("anonymous", "omar", "khalid", "huda", "agent")
NOT_OFFICER_OF_CASE = ("anonymous", "amina", "omar", "huda", "agent")
NOT_OWNER_OF_TICKET = ("anonymous", "omar", "khalid", "huda", "agent")
NOT_AGENT_OF_TICKET = ("anonymous", "amina", "omar", "khalid", "huda")

MATRIX: dict[str, Row] = {
    # The citizen's request pages.
    "portal:cases:detail": Row("amina", NOT_OWNER_OF_CASE, args=_case),
    "portal:cases:submitted": Row("amina", NOT_OWNER_OF_CASE, args=_case),
    "portal:cases:summary": Row("amina", NOT_OWNER_OF_CASE, args=_case),
    "portal:cases:file": Row("amina", NOT_OWNER_OF_CASE, args=_case_file),
    "portal:cases:reply": Row("amina", NOT_OWNER_OF_CASE, "post", _case, {"body": "رد"}),
    "portal:cases:cancel": Row("amina", NOT_OWNER_OF_CASE, "post", _case),
    "portal:feedback:case_rating": Row("amina", NOT_OWNER_OF_CASE, args=_case),
    # The officers' request pages.
    "staff:cases:detail": Row("khalid", NOT_OFFICER_OF_CASE, args=_staff_case),
    "staff:cases:summary": Row("khalid", NOT_OFFICER_OF_CASE, args=_staff_case),
    "staff:cases:file": Row("khalid", NOT_OFFICER_OF_CASE, args=_staff_case_file),
    "staff:cases:move": Row(
        "khalid", NOT_OFFICER_OF_CASE, "post", lambda w: [w["case"].reference, "start"]
    ),
    "staff:cases:ask": Row("khalid", NOT_OFFICER_OF_CASE, "post", _staff_case, {"body": "أرسل"}),
    "staff:cases:message": Row(
        "khalid", NOT_OFFICER_OF_CASE, "post", _staff_case, {"body": "مرحباً"}
    ),
    "staff:cases:note": Row("khalid", NOT_OFFICER_OF_CASE, "post", _staff_case, {"body": "داخلي"}),
    "staff:cases:assign": Row("khalid", NOT_OFFICER_OF_CASE, "post", _staff_case),
    "staff:cases:route": Row("khalid", NOT_OFFICER_OF_CASE, "post", _staff_case),
    # The queue and the video call.
    "portal:queueing:ticket": Row("amina", NOT_OWNER_OF_TICKET, args=_ticket),
    "portal:queueing:ticket_status": Row("amina", NOT_OWNER_OF_TICKET, args=_ticket),
    "portal:queueing:ticket_cancel": Row("amina", NOT_OWNER_OF_TICKET, "post", _ticket),
    "portal:queueing:ticket_more_time": Row("amina", NOT_OWNER_OF_TICKET, "post", _ticket),
    "portal:video:call": Row("amina", NOT_OWNER_OF_TICKET, args=_ticket),
    "portal:video:config": Row("amina", NOT_OWNER_OF_TICKET, args=_ticket),
    "portal:video:start": Row("amina", NOT_OWNER_OF_TICKET, "post", _ticket),
    "portal:video:end": Row("amina", NOT_OWNER_OF_TICKET, "post", _ticket),
    "portal:feedback:rate": Row("amina", NOT_OWNER_OF_TICKET, args=_ticket),
    "staff:queueing:ticket_transfer": Row("agent", NOT_AGENT_OF_TICKET, "post", _staff_ticket),
    "staff:queueing:ticket_note": Row(
        "agent", NOT_AGENT_OF_TICKET, "post", _staff_ticket, {"body": "ملاحظة"}
    ),
    "staff:queueing:ticket_action": Row(
        "agent", NOT_AGENT_OF_TICKET, "post", lambda w: [w["ticket"].public_id, "recall"]
    ),
    "staff:video:call": Row("agent", NOT_AGENT_OF_TICKET, args=_staff_ticket),
    "staff:video:config": Row("agent", NOT_AGENT_OF_TICKET, args=_staff_ticket),
    "staff:video:end": Row("agent", NOT_AGENT_OF_TICKET, "post", _staff_ticket),
    # The mobile API (bearer tokens; staff tokens are not citizens).
    "api:ticket": Row("amina", ("anonymous", "omar", "khalid"), args=_staff_ticket, api=True),
    "api:cancel": Row("amina", ("anonymous", "omar", "khalid"), "post", _staff_ticket, api=True),
    "api:more_time": Row("amina", ("anonymous", "omar", "khalid"), "post", _staff_ticket, api=True),
    "api:rate": Row(
        "amina", ("anonymous", "omar", "khalid"), "post", _staff_ticket, {"stars": 4}, api=True
    ),
    "api:request_detail": Row("amina", NOT_OWNER_OF_CASE, args=_staff_case, api=True),
    "api:request_cancel": Row("amina", NOT_OWNER_OF_CASE, "post", _staff_case, api=True),
    "api:request_reply": Row(
        "amina", NOT_OWNER_OF_CASE, "post", _staff_case, {"body": "رد"}, api=True
    ),
    "api:request_file": Row("amina", NOT_OWNER_OF_CASE, args=_staff_case_file, api=True),
    "api:request_summary": Row("amina", NOT_OWNER_OF_CASE, args=_staff_case, api=True),
    "api:request_rate": Row(
        "amina", NOT_OWNER_OF_CASE, "post", _staff_case, {"stars": 4}, api=True
    ),
}


def test_it_covers_every_route_with_an_object_code() -> None:
    routes = routes_with_object_codes()
    assert sorted(routes - set(MATRIX) - set(EXEMPT)) == []  # a new route needs its row here
    assert sorted(set(MATRIX) - routes) == []  # and a row for a route that is gone goes too


@pytest.fixture
def world(demo: Any, amina: User, omar: User, khalid: User, huda: User, upload_root: Any) -> Any:
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    assert version is not None
    upload = upload_accept(file=a_file("letter.pdf"), owner=amina, policy=UploadPolicy())
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.CLEAN)
    case = cases.case_submit(
        service=service, version=version, citizen=amina, answers={"visit_subject": "موضوع"},
        files={"reason_letter": upload}, language="ar",
    )  # fmt: skip
    assert case.department is not None
    assert case.department.code == "citizens-affairs"
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    agent = User.objects.get(username="ajman.video")
    shift = queueing.shift_open(
        agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[qareeb]
    )
    queueing.ticket_issue(branch=branch, service=qareeb, citizen=amina, phone=amina.phone)
    ticket = queueing.ticket_call_next(shift=shift)
    assert ticket is not None
    people = {"amina": amina, "omar": omar, "khalid": khalid, "huda": huda, "agent": agent}
    return {"case": case, "upload": upload, "ticket": ticket, "people": people}


def _client(world: dict[str, Any], who: str, row: Row) -> Client:
    client = Client()
    person = world["people"].get(who)
    if person is None:
        return client
    if row.api:
        token = api_token_issue(user=person)
        return Client(headers={"authorization": f"Bearer {token}"})
    return sign_in_staff(client, person) if person.is_staff else _logged_in(client, person)


def _logged_in(client: Client, person: User) -> Client:
    client.force_login(person)
    return client


def _call(client: Client, row: Row, url: str) -> Any:
    if row.api and row.method == "post":
        return client.post(url, row.data, content_type="application/json")
    return getattr(client, row.method)(url, row.data)


def _missing(url: str, world: dict[str, Any]) -> str:
    """The same URL naming objects that do not exist."""
    return (
        url.replace(world["case"].reference, MISSING["reference"])
        .replace(world["ticket"].public_id, MISSING["public_id"])
        .replace(world["upload"].public_id, "nosuchupload000")
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_only_the_rightful_person_reaches_the_object(name: str, world: dict[str, Any]) -> None:
    row = MATRIX[name]
    url = reverse(name, args=row.args(world))
    for who in row.outsiders:
        client = _client(world, who, row)
        answer = _call(client, row, url)
        baseline = _call(client, row, _missing(url, world))
        assert answer.content == baseline.content, (name, who)
        assert answer.status_code == baseline.status_code, (name, who)
        if who == "anonymous" and answer.status_code in (302, 401):
            # Sign in first (a staff page's redirect, the API's 401): the same whether or not
            # the object exists, so it says nothing about it.
            where = _missing(answer.get("Location", ""), world)
            assert where == baseline.get("Location", ""), (name, who)
        else:
            assert answer.status_code == 404, (name, who, answer.status_code)
    rightful = _call(_client(world, row.owner, row), row, url)
    if getattr(rightful, "streaming", False):
        b"".join(rightful.streaming_content)  # read to the end, the test client closes the file
    assert rightful.status_code != 404, (name, row.owner)


# WebSocket routes: each one with an object code and the test that runs its matrix.
WEBSOCKET_MATRIX = {
    "ws/calls/<str:public_id>/": (
        "majlis/video/tests/test_consumers.py::"
        "test_it_lets_in_only_the_citizen_and_the_agent_of_the_call"
    ),
}
WEBSOCKET_PUBLIC = {"ws/queue/<slug:slug>/<str:prefix>/": "a branch's public feed (codes only)"}


def test_it_covers_every_websocket_route() -> None:
    from majlis.queueing.routing import websocket_urlpatterns as queue_sockets
    from majlis.video.routing import websocket_urlpatterns as call_sockets

    routes = {str(route.pattern) for route in [*queue_sockets, *call_sockets]}
    assert routes == set(WEBSOCKET_MATRIX) | set(WEBSOCKET_PUBLIC)
    for target in WEBSOCKET_MATRIX.values():
        path, test = target.split("::")
        assert f"def {test}(" in (ROOT / path).read_text()
