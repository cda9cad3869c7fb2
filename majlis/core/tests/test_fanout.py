"""The fan-out hub (`core.fanout`): one Redis subscription per group per process, one decode per
message whatever the number of sockets, a broken or slow socket never holds up the others, and
delivery inside the process when there is no Redis."""

import asyncio
import os
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import redis

from majlis.core import fanout, realtime
from majlis.core.testing import run_async

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
GROUP = "queue.branch.1"
PATIENCE = 10.0  # seconds to wait for Redis to act; only the outcome is asserted


@pytest.fixture
def with_redis(settings: Any) -> fanout.RedisTarget:
    """The production layer, with a prefix of this test's own (parallel runs share Redis)."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"t{uuid.uuid4().hex[:12]}"},
        }
    }
    target = fanout.redis_target()
    assert target is not None
    return target


@pytest.fixture
def without_redis(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


class Socket:
    """A socket's ASGI send that records what it was given."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, message: dict[str, Any]) -> None:
        self.texts.append(message["text"])


async def _until(check: Callable[[], bool]) -> None:
    deadline = asyncio.get_running_loop().time() + PATIENCE
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "not within the patience"
        await asyncio.sleep(0.01)


def _subscribers(channel: str) -> int:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(dict(client.pubsub_numsub(channel))[channel.encode()])
    finally:
        client.close()


def test_it_subscribes_with_the_first_socket_and_unsubscribes_with_the_last(
    with_redis: fanout.RedisTarget,
) -> None:
    channel = with_redis.channel(GROUP)

    async def scenario() -> list[int]:
        hub = fanout.hub()
        seen = [_subscribers(channel)]
        try:
            first = await hub.join(GROUP, Socket().send)
            await _until(lambda: _subscribers(channel) == 1)
            second = await hub.join(GROUP, Socket().send)
            seen.append(_subscribers(channel))
            await hub.leave(GROUP, first)
            seen.append(_subscribers(channel))  # one socket left: still subscribed
            await hub.leave(GROUP, second)
            await _until(lambda: _subscribers(channel) == 0)
            seen.append(_subscribers(channel))
            assert GROUP not in hub.groups
        finally:
            await fanout.hub_close()
        return seen

    assert run_async(scenario) == [0, 1, 1, 0]


def test_it_decodes_a_message_once_for_all_the_sockets_of_the_process(
    with_redis: fanout.RedisTarget,
) -> None:
    sockets = [Socket() for _ in range(50)]
    elsewhere = Socket()

    async def scenario() -> None:
        hub = fanout.hub()
        try:
            for socket_ in sockets:
                await hub.join(GROUP, socket_.send)
            await hub.join("queue.branch.2", elsewhere.send)
            await _until(lambda: _subscribers(with_redis.channel(GROUP)) == 1)
            # Through the public entry point, from a thread, as a view publishes after commit.
            await asyncio.to_thread(
                realtime.group_publish, GROUP, {"type": "queue.event", "text": '{"v":7}'}
            )
            await _until(lambda: all(socket_.texts for socket_ in sockets))
        finally:
            await fanout.hub_close()

    run_async(scenario)
    assert all(socket_.texts == ['{"v":7}'] for socket_ in sockets)
    # One string object for all fifty: the payload was decoded once, not once per socket.
    assert len({id(socket_.texts[0]) for socket_ in sockets}) == 1
    assert elsewhere.texts == []  # another branch's socket


def test_it_keeps_writing_to_the_others_when_a_socket_fails_or_stalls(
    without_redis: None,
) -> None:
    healthy = [Socket(), Socket()]
    calls = {"broken": 0, "stalled": 0}

    async def scenario() -> None:
        drained = asyncio.Event()

        async def broken(message: dict[str, Any]) -> None:
            calls["broken"] += 1
            raise OSError("the client went away")

        async def stalled(message: dict[str, Any]) -> None:
            calls["stalled"] += 1
            await drained.wait()  # its buffer is full: the write waits for it to drain

        hub = fanout.hub()
        try:
            await hub.join(GROUP, broken)
            await hub.join(GROUP, stalled)
            for socket_ in healthy:
                await hub.join(GROUP, socket_.send)
            hub.deliver(GROUP, "one")
            hub.deliver(GROUP, "two")  # the stalled socket is skipped: it resyncs later
            assert calls == {"broken": 2, "stalled": 1}
            drained.set()
            await _until(lambda: all(sink.pending is None for sink in hub.groups[GROUP].sinks))
            hub.deliver(GROUP, "three")  # drained: it gets messages again
            assert calls == {"broken": 3, "stalled": 2}
        finally:
            await fanout.hub_close()

    run_async(scenario)
    assert all(socket_.texts == ["one", "two", "three"] for socket_ in healthy)


def test_it_delivers_inside_the_process_without_redis(without_redis: None) -> None:
    """The embedded profile: the server's loop runs in one thread, the change is published from
    another (a sync view in the thread pool, or here the test's own thread)."""
    received = threading.Event()
    texts: list[str] = []
    loop = asyncio.new_event_loop()
    joined = threading.Event()
    stop = asyncio.Event()

    async def server() -> None:
        async def send(message: dict[str, Any]) -> None:
            texts.append(message["text"])
            received.set()

        hub = fanout.hub()
        assert hub.target is None
        await hub.join(GROUP, send)
        joined.set()
        await stop.wait()
        await fanout.hub_close()

    thread = threading.Thread(target=loop.run_until_complete, args=(server(),))
    thread.start()
    try:
        assert joined.wait(PATIENCE)
        realtime.group_publish(GROUP, {"type": "queue.event", "text": '{"v":1}'})
        realtime.group_publish("queue.branch.2", {"type": "queue.event", "text": '{"v":9}'})
        assert received.wait(PATIENCE)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(PATIENCE)
        loop.close()
    assert texts == ['{"v":1}']
