"""The branch's live feed: one socket per open waiting page, board or console.

The feed carries only what the hall's TV shows (ticket codes, desks) and anonymous queue moves
(service and place keys), so it is public: no session, no user (the route sits outside
`AuthMiddlewareStack`); a ticket's own details come from its gated status endpoint. Every change
arrives as one pre-serialised message that the process's fan-out hub (`core.fanout`) writes out
unchanged to every local socket of the branch.

This is a plain ASGI app rather than a Channels consumer: it needs no channel of its own (a
Redis subscription per socket with the pub/sub layer) nor per-message dispatch, and a reconnect
storm of thousands of pages must cost little more than the handshakes (bench P4).
"""

import asyncio
import time
from typing import Any

from channels.db import database_sync_to_async

from majlis.catalogue.models import Branch
from majlis.core import fanout
from majlis.queueing.services import group_name

CLOSE_UNKNOWN = 4404
BRANCH_TTL = 60.0  # seconds: a renamed or closed branch's pages follow within a minute

# (slug, prefix) -> (branch id, expiry on the monotonic clock). Only branches that exist are
# kept, so made-up addresses cannot grow it.
_branches: dict[tuple[str, str], tuple[int, float]] = {}
# Lookups in flight, so that thousands of sockets reconnecting to a fresh process make one query.
_lookups: dict[tuple[asyncio.AbstractEventLoop, str, str], asyncio.Task[int | None]] = {}


@database_sync_to_async
def _branch_id_from_db(slug: str, prefix: str) -> int | None:
    return (
        Branch.objects.filter(authority__slug=slug, ticket_prefix=prefix, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )


async def _lookup(key: tuple[asyncio.AbstractEventLoop, str, str]) -> int | None:
    try:
        found = await _branch_id_from_db(key[1], key[2])
    finally:
        del _lookups[key]
    if found is not None:
        _branches[key[1:]] = (found, time.monotonic() + BRANCH_TTL)
    return found


async def branch_id(slug: str, prefix: str) -> int | None:
    """The active branch at `/ws/queue/<slug>/<prefix>/`, cached for `BRANCH_TTL` seconds."""
    cached = _branches.get((slug, prefix))
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    key = (asyncio.get_running_loop(), slug, prefix)
    task = _lookups.get(key)
    if task is None:
        # A task of its own: a socket that goes away mid-query must not cancel the others' answer.
        task = _lookups[key] = asyncio.get_running_loop().create_task(_lookup(key))
    return await asyncio.shield(task)


def branch_cache_clear() -> None:
    """Forget the cached branch ids (tests that recreate the demo branches under new ids)."""
    _branches.clear()


async def branch_feed(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """ASGI app for `ws/queue/<slug>/<prefix>/`: accept, join the branch's group, answer pings."""
    if (await receive())["type"] != "websocket.connect":
        return
    kwargs = scope["url_route"]["kwargs"]
    found = await branch_id(kwargs["slug"], kwargs["prefix"])
    if found is None:
        await send({"type": "websocket.close", "code": CLOSE_UNKNOWN})
        return
    await send({"type": "websocket.accept"})
    hub, group = fanout.hub(), group_name(found)
    try:
        sink = await hub.join(group, send)
    except Exception:  # no Redis: the page polls and tries again later
        await send({"type": "websocket.close", "code": 1011})
        return
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            # "ping" keeps mobile networks and proxies from dropping an idle socket; its answer
            # also tells a test that the socket has joined its group.
            if message.get("text") == "ping":
                await send({"type": "websocket.send", "text": "pong"})
    finally:
        await hub.leave(group, sink)
