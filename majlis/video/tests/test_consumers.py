"""The signalling socket through the real ASGI application (session cookie, origin check):
who gets in, what is relayed, and the time limit the server enforces."""

import datetime
import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from config.asgi import application
from majlis.accounts.testing import sign_in_staff
from majlis.queueing import services as queueing
from majlis.queueing.choices import TicketStatus
from majlis.video import consumers, services
from majlis.video.choices import EndReason
from majlis.video.models import CallSession
from majlis.video.tests.conftest import called_ticket

pytestmark = pytest.mark.django_db(transaction=True)  # the consumer reads in its own threads


def _cookie(user: Any, *, staff: bool = False) -> bytes:
    client = Client()
    if staff:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


class WebsocketCommunicator(ApplicationCommunicator):
    """A browser's socket as the ASGI server hands it over (channels.testing's communicator
    does the same, but its package needs daphne)."""

    def __init__(self, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {
            "type": "websocket", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": headers, "subprotocols": [], "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }  # fmt: skip
        super().__init__(application, scope)

    async def connect(self, timeout: float = 10) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, None

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def receive_from(self, timeout: float = 10) -> str:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return str(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 10) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def _socket(public_id: str, cookie: bytes | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(f"/ws/calls/{public_id}/", headers)


async def _receive(socket: WebsocketCommunicator) -> dict[str, Any]:
    return dict(json.loads(await socket.receive_from(timeout=10)))


@pytest.fixture
def call(desk: dict[str, Any]) -> CallSession:
    return services.call_start(ticket=called_ticket(desk), citizen=desk["citizen"])


def test_it_lets_in_only_the_citizen_and_the_agent_of_the_call(
    desk: dict[str, Any], call: CallSession
) -> None:
    cookies = {
        "citizen": _cookie(desk["citizen"]),
        "agent": _cookie(desk["agent"], staff=True),
        "stranger": _cookie(desk["stranger"]),
        "other agent": _cookie(desk["other_agent"], staff=True),
        "agent without second factor": _cookie(desk["agent"]),
        "anonymous": None,
    }

    async def attempt(public_id: str, cookie: bytes | None) -> tuple[bool, Any, str]:
        socket = _socket(public_id, cookie)
        connected, code = await socket.connect(timeout=10)
        role = (await _receive(socket))["role"] if connected else ""
        await socket.disconnect()
        return connected, code, role

    results = {who: async_to_sync(attempt)(call.public_id, c) for who, c in cookies.items()}
    nothing = async_to_sync(attempt)("no-such-call", cookies["citizen"])
    by_code = async_to_sync(attempt)(call.ticket.code, cookies["citizen"])  # the code alone
    assert results["citizen"][0] is True
    assert results["citizen"][2] == "citizen"
    assert results["agent"][0] is True
    assert results["agent"][2] == "agent"
    refused = [results[who] for who in cookies if who not in ("citizen", "agent")]
    assert [*refused, by_code] == [nothing] * (len(refused) + 1)
    assert nothing[0] is False


def test_it_relays_offers_candidates_and_presence(desk: dict[str, Any], call: CallSession) -> None:
    citizen_cookie, agent_cookie = _cookie(desk["citizen"]), _cookie(desk["agent"], staff=True)

    async def run() -> None:
        citizen = _socket(call.public_id, citizen_cookie)
        assert (await citizen.connect(timeout=10))[0]
        assert (await _receive(citizen))["type"] == "hello"
        agent = _socket(call.public_id, agent_cookie)
        assert (await agent.connect(timeout=10))[0]
        assert (await _receive(agent))["type"] == "hello"
        assert await _receive(citizen) == {"type": "peer", "state": "joined"}
        assert await _receive(agent) == {"type": "peer", "state": "joined"}
        await agent.send_to(text_data=json.dumps({"type": "offer", "sdp": "v=0 offer", "x": 1}))
        assert await _receive(citizen) == {"type": "offer", "sdp": "v=0 offer"}
        candidate = {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0",
                     "sdpMLineIndex": 0}  # fmt: skip
        await citizen.send_to(text_data=json.dumps({"type": "candidate", "candidate": candidate}))
        assert await _receive(agent) == {"type": "candidate", "candidate": candidate}
        for bad in (
            '{"type": "offer"}',
            "[1]",
            "not json",
            json.dumps({"type": "offer", "sdp": "x" * 70_000}),
        ):
            await citizen.send_to(text_data=bad)
            assert await _receive(citizen) == {"type": "error", "code": "bad_message"}
        assert await agent.receive_nothing(timeout=0.3)  # nothing malformed reached the agent
        await citizen.send_to(text_data="ping")
        assert await citizen.receive_from(timeout=10) == "pong"
        # The citizen reloads: the new socket replaces the old one and the agent hears of it once.
        again = _socket(call.public_id, citizen_cookie)
        assert (await again.connect(timeout=10))[0]
        assert (await _receive(again))["type"] == "hello"
        assert await _receive(citizen) == {"type": "replaced"}
        assert await _receive(agent) == {"type": "peer", "state": "joined"}
        await again.disconnect()
        assert await _receive(agent) == {"type": "peer", "state": "left"}
        await agent.disconnect()
        await citizen.disconnect()

    async_to_sync(run)()


def test_it_warns_then_ends_the_call_at_the_time_limit(
    desk: dict[str, Any], call: CallSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 3-second call with warnings 2 and 1 seconds before its end (5 and 1 minutes in life).
    monkeypatch.setattr(consumers, "WARNINGS", (2, 1))
    CallSession.objects.filter(pk=call.pk).update(
        ends_at=timezone.now() + datetime.timedelta(seconds=3)
    )
    citizen_cookie, agent_cookie = _cookie(desk["citizen"]), _cookie(desk["agent"], staff=True)

    async def run() -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
        citizen = _socket(call.public_id, citizen_cookie)
        agent = _socket(call.public_id, agent_cookie)
        assert (await citizen.connect(timeout=10))[0]
        assert (await agent.connect(timeout=10))[0]
        seen: dict[str, list[dict[str, Any]]] = {"citizen": [], "agent": []}
        for name, socket in (("citizen", citizen), ("agent", agent)):
            while True:
                output = await socket.receive_output(timeout=10)
                if output["type"] == "websocket.close":
                    break
                message = json.loads(output["text"])
                if message["type"] in ("warning", "ended"):
                    seen[name].append(
                        {k: message[k] for k in ("type", "seconds", "reason") if k in message}
                    )
        late = _socket(call.public_id, citizen_cookie)
        connected, _ = await late.connect(timeout=10)
        return seen["citizen"], seen["agent"], connected

    citizen_saw, agent_saw, reconnected = async_to_sync(run)()
    expected = [
        {"type": "warning", "seconds": 2}, {"type": "warning", "seconds": 1},
        {"type": "ended", "reason": "time_limit"},
    ]  # fmt: skip
    assert citizen_saw == expected
    assert agent_saw == expected
    assert reconnected is False
    call.refresh_from_db()
    assert call.end_reason == EndReason.TIME_LIMIT
    assert call.ticket.status == TicketStatus.DONE


def test_it_closes_both_sides_when_the_agent_finishes_the_ticket(
    desk: dict[str, Any], call: CallSession
) -> None:
    citizen_cookie, agent_cookie = _cookie(desk["citizen"]), _cookie(desk["agent"], staff=True)

    async def run() -> list[dict[str, Any]]:
        sockets = [_socket(call.public_id, citizen_cookie), _socket(call.public_id, agent_cookie)]
        for socket in sockets:
            assert (await socket.connect(timeout=10))[0]
        await sync_to_async(queueing.ticket_finish)(ticket=call.ticket, actor=desk["agent"])
        last = []
        for socket in sockets:
            messages = []
            while (output := await socket.receive_output(timeout=10))["type"] != "websocket.close":
                messages.append(json.loads(output["text"]))
            last.append(messages[-1])
        return last

    assert async_to_sync(run)() == [{"type": "ended", "reason": "agent_finished"}] * 2
