"""The P4 baseline: a bare broadcast of the same bytes under the same uvicorn.

A raw ASGI app: every socket is accepted at once and kept in a set; one Redis subscription (as
the Channels pub/sub layer has one per process) receives each message and writes its text to
every socket. No Channels, no consumer, no group bookkeeping: what is left is the server's own
cost of a delivery, which is what our consumer's cost is compared with.
"""

import asyncio
import os
from typing import Any

import redis.asyncio as aioredis

CHANNEL = "majlis-bench-bare"
_sockets: set[Any] = set()
_started = False
_tasks: set[Any] = set()  # the event loop keeps only weak references to tasks


async def _relay() -> None:
    client = aioredis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    pubsub = client.pubsub()
    await pubsub.subscribe(CHANNEL)
    async for item in pubsub.listen():
        if item["type"] != "message":
            continue
        text = item["data"].decode()
        for send in list(_sockets):
            try:
                await send({"type": "websocket.send", "text": text})
            except Exception:  # noqa: S112  (a socket closing mid-broadcast)
                continue


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    global _started
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "websocket":
        return
    if not _started:
        _started = True
        _tasks.add(asyncio.get_running_loop().create_task(_relay()))
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    _sockets.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("text") == "ping":
                await send({"type": "websocket.send", "text": "pong"})
    finally:
        _sockets.discard(send)
