"""The public branch feed through the real ASGI application (origin check, routing): anyone may
open it without a session, an unknown branch is refused, changes arrive as published, and the
branch lookup is made once for many sockets."""

import asyncio
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator

from config.asgi import application
from majlis.catalogue.models import Branch
from majlis.core import fanout, realtime
from majlis.queueing import consumers
from majlis.queueing.services import group_name

pytestmark = pytest.mark.django_db(transaction=True)  # the lookup runs in its own thread


@pytest.fixture(autouse=True)
def in_process(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    consumers.branch_cache_clear()


def _socket(path: str) -> ApplicationCommunicator:
    scope = {
        "type": "websocket", "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")],
        "subprotocols": [], "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    return ApplicationCommunicator(application, scope)


async def _open(path: str) -> tuple[ApplicationCommunicator, dict[str, Any]]:
    socket_ = _socket(path)
    await socket_.send_input({"type": "websocket.connect"})
    return socket_, await socket_.receive_output(10)


def test_it_streams_a_branch_to_a_socket_without_a_session(demo: Any) -> None:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")

    async def scenario() -> tuple[Any, ...]:
        try:
            feed, opened = await _open("/ws/queue/ajman/AJ/")
            await feed.send_input({"type": "websocket.receive", "text": "ping"})
            pong = await feed.receive_output(10)  # answered once the socket has joined
            realtime.group_publish(
                group_name(branch.pk), {"type": "queue.event", "text": '{"v":3}'}
            )
            change = await feed.receive_output(10)
            await feed.send_input({"type": "websocket.disconnect", "code": 1000})
            await feed.wait(10)
            return opened, pong, change, fanout.hub().groups
        finally:
            await fanout.hub_close()

    opened, pong, change, groups = asyncio.run(scenario())
    assert opened == {"type": "websocket.accept"}
    assert pong == {"type": "websocket.send", "text": "pong"}
    assert change == {"type": "websocket.send", "text": '{"v":3}'}
    assert groups == {}  # the socket left its group on closing


def test_it_closes_an_unknown_branch_with_4404(demo: Any) -> None:
    async def scenario() -> dict[str, Any]:
        _, refused = await _open("/ws/queue/ajman/ZZ/")
        return refused

    assert asyncio.run(scenario()) == {"type": "websocket.close", "code": 4404}


def test_it_looks_a_branch_up_once_for_many_sockets(demo: Any, monkeypatch: Any) -> None:
    lookups: list[tuple[str, str]] = []
    original = consumers._branch_id_from_db

    async def counted(slug: str, prefix: str) -> int | None:
        lookups.append((slug, prefix))
        return await original(slug, prefix)

    monkeypatch.setattr(consumers, "_branch_id_from_db", counted)

    async def scenario() -> list[dict[str, Any]]:
        try:
            # A reconnect storm on a fresh process: all at once, then one more later.
            storm = await asyncio.gather(*(_open("/ws/queue/ajman/AJ/") for _ in range(20)))
            late = await _open("/ws/queue/ajman/AJ/")
            return [opened for _, opened in [*storm, late]]
        finally:
            await fanout.hub_close()

    assert all(opened == {"type": "websocket.accept"} for opened in asyncio.run(scenario()))
    assert lookups == [("ajman", "AJ")]
