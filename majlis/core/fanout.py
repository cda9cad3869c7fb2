"""Per-process fan-out for public feeds (a branch's queue feed): one message in, N sockets out.

Channels' Redis layer puts every group message into each consumer's own queue; each consumer task
then wakes, decodes its copy and dispatches it, which made one change cost ~25x what writing the
bytes costs (bench P4, decision 0016). Here each process holds, per event loop, one `Hub`:

- with Redis (the channel layer is channels_redis), one pub/sub connection per process, one
  SUBSCRIBE per group while at least one local socket is in it (the first join subscribes, the
  last leave unsubscribes). A message is decoded once and written to every local socket of the
  group in one loop, through each socket's ASGI `send`;
- without Redis (the embedded profile: one uvicorn process), `publish` hands the text to every
  hub of this process through its loop's `call_soon_threadsafe`, so it works from any thread
  (sync views in the thread pool, a test's own thread).

A slow reader must not hold up the rest: each socket has at most one write in flight; while it
waits for its buffer to drain, further messages are skipped for it. The pages notice the version
gap (or their periodic refresh) and resynchronise, so a skipped message costs one fetch.
"""

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class RedisTarget:
    url: str
    prefix: str

    def channel(self, group: str) -> str:
        # Its own name (not channels_redis' `__group__`), with the layer's prefix so that runs
        # with different prefixes (parallel tests, two sites on one Redis) stay apart.
        return f"{self.prefix}__feed__{group}"


def redis_target() -> RedisTarget | None:
    """Where feeds travel between processes: the Redis of the channel layer, or None when the
    layer is in-memory (one process)."""
    layers: dict[str, Any] = settings.CHANNEL_LAYERS
    layer = layers.get("default", {})
    if not str(layer.get("BACKEND", "")).startswith("channels_redis."):
        return None
    config: dict[str, Any] = layer.get("CONFIG", {})
    host = config.get("hosts", [settings.REDIS_URL])[0]
    url = host["address"] if isinstance(host, dict) else host
    return RedisTarget(url=str(url), prefix=str(config.get("prefix", "asgi")))


class Sink:
    """One local socket: its ASGI send and the write still in flight, if any."""

    __slots__ = ("pending", "send")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.pending: asyncio.Task[None] | None = None

    def _written(self, task: asyncio.Task[None]) -> None:
        self.pending = None
        if not task.cancelled():
            task.exception()  # a socket that closed meanwhile: its own loop removes it


@dataclass
class _Group:
    sinks: set[Sink] = field(default_factory=set)
    subscribed: asyncio.Future[None] | None = None  # done once Redis delivers to this process


class Hub:
    """The sockets of one event loop, by group. Create it through `hub()`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, target: RedisTarget | None) -> None:
        self.loop = loop
        self.target = target
        self.groups: dict[str, _Group] = {}
        self._redis: Any = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def join(self, group: str, send: Send) -> Sink:
        """Add a socket to `group`; returns once this process has asked Redis for the group
        (raises if it could not: the caller closes the socket and the page polls)."""
        sink = Sink(send)
        entry = self.groups.get(group)
        if entry is None:
            entry = self.groups[group] = _Group()
            if self.target is not None:
                entry.subscribed = self.loop.create_task(self._subscribe(self.target, group))
        entry.sinks.add(sink)
        if entry.subscribed is not None:
            try:
                await asyncio.shield(entry.subscribed)
            except Exception:
                if self.groups.get(group) is entry:
                    del self.groups[group]  # the next socket tries again
                raise
        return sink

    async def leave(self, group: str, sink: Sink) -> None:
        """Remove a socket; the last one out of a group unsubscribes this process from it."""
        if self.leave_now(group, sink) and self.target is not None and self._pubsub is not None:
            # Under the lock, and only if nobody joined again meanwhile: subscribe and
            # unsubscribe for one group can cross when sockets come and go at once.
            async with self._lock:
                if group in self.groups:
                    return
                try:
                    await self._pubsub.unsubscribe(self.target.channel(group))
                except Exception:  # the subscription dies with the connection anyway
                    logger.warning("could not unsubscribe from %s", group, exc_info=True)

    def leave_now(self, group: str, sink: Sink) -> bool:
        """The synchronous part of `leave`; True when the group has no local socket left."""
        entry = self.groups.get(group)
        if entry is None:
            return False
        entry.sinks.discard(sink)
        if entry.sinks:
            return False
        del self.groups[group]
        return True

    def deliver(self, group: str, text: str) -> int:
        """Write `text` to every local socket of `group`; returns how many writes started."""
        entry = self.groups.get(group)
        if entry is None:
            return 0
        message = {"type": "websocket.send", "text": text}  # one dict: servers only read it
        started = 0
        for sink in tuple(entry.sinks):
            if sink.pending is not None:
                continue  # still writing an earlier message: a slow reader, it will resync
            # An eager task runs the send at once and, in the usual case (the bytes fit in the
            # socket's buffer), finishes without ever being scheduled: no wake-up per socket.
            # Only a send that has to wait for the buffer to drain stays pending.
            try:
                task: asyncio.Task[None] = asyncio.eager_task_factory(self.loop, sink.send(message))
            # A broken socket must not stop the loop: skip it (it reconnects and resyncs).
            except Exception:  # noqa: S112
                continue  # nosec B112
            started += 1
            if task.done():
                if not task.cancelled():
                    task.exception()
            else:
                sink.pending = task
                task.add_done_callback(sink._written)
        return started

    async def close(self) -> None:
        """Stop reading and close the Redis connection (tests; a process just exits)."""
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        if self._pubsub is not None:
            await self._pubsub.aclose()
            await self._redis.aclose()
            self._pubsub = self._redis = None
        self.groups.clear()

    async def _subscribe(self, target: RedisTarget, group: str) -> None:
        if self._pubsub is None:
            import redis.asyncio as aioredis

            self._redis = aioredis.Redis.from_url(target.url)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        async with self._lock:
            if group not in self.groups:
                return  # everyone left before we got here
            await self._pubsub.subscribe(target.channel(group))
        if self._reader is None:
            self._reader = self.loop.create_task(self._read(target))

    async def _read(self, target: RedisTarget) -> None:
        skip = len(target.channel(""))
        while True:
            try:
                item = await self._pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis went away: redis-py reconnects and subscribes again on the next read.
                logger.warning("fan-out lost its Redis connection; retrying", exc_info=True)
                await asyncio.sleep(1)
                continue
            if item is None or item.get("type") != "message":
                continue
            self.deliver(item["channel"].decode()[skip:], item["data"].decode())


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}
_hubs_lock = threading.Lock()


def hub() -> Hub:
    """The running loop's hub (created on first use with the settings of that moment)."""
    loop = asyncio.get_running_loop()
    with _hubs_lock:
        found = _hubs.get(loop)
        if found is None:
            for old in [old for old in _hubs if old.is_closed()]:
                del _hubs[old]  # a test's server that has stopped
            found = _hubs[loop] = Hub(loop, redis_target())
        return found


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def _redis_client(url: str) -> Any:
    # A pooled synchronous client: publishing happens in WSGI threads and sync views.
    with _clients_lock:
        if url not in _clients:
            import redis

            _clients[url] = redis.Redis.from_url(url, socket_timeout=2)
        return _clients[url]


def publish(group: str, text: str) -> None:
    """Send `text` to every socket in `group` on every process (with Redis), or on every event
    loop of this process (without). Safe from any thread; raises on a Redis error."""
    target = redis_target()
    if target is not None:
        _redis_client(target.url).publish(target.channel(group), text.encode())
        return
    with _hubs_lock:
        hubs = [found for loop, found in _hubs.items() if not loop.is_closed()]
    for found in hubs:
        try:
            found.loop.call_soon_threadsafe(found.deliver, group, text)
        except RuntimeError:  # the loop closed meanwhile
            continue


async def hub_close() -> None:
    """Close the running loop's hub, if any (a test server before it stops)."""
    with _hubs_lock:
        found = _hubs.pop(asyncio.get_running_loop(), None)
    if found is not None:
        await found.close()
