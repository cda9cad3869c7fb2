"""Signalling for a video call: the two browsers exchange their offer, answer and ICE candidates
through this socket, and the server keeps the call's clock.

Only the call's two participants get in (`call_get_for_participant`); every refusal is the same
closed handshake, whether the call does not exist, has ended, or belongs to someone else. Each
side learns when the other joins or leaves, so the agent's browser can offer again after the
citizen reloads. The time limit is read from the call's row (`ends_at`) at every connection, so
it holds across reconnections and app processes: warnings at 5 and 1 minute(s) before the end,
then the call is ended and both sockets are closed.
"""

import asyncio
import contextlib
import datetime
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from majlis.video import selectors, services
from majlis.video.choices import EndReason
from majlis.video.models import CallSession

logger = logging.getLogger(__name__)

# Seconds before the end at which both sides are warned (largest first).
WARNINGS: tuple[int, ...] = (300, 60)
MAX_MESSAGE = 64 * 1024
MAX_SDP = 60_000
MAX_CANDIDATE = 2_000
CLOSE_ENDED = 4000
CLOSE_REPLACED = 4001


@database_sync_to_async  # channels ships no types
def _participant(
    user: Any, public_id: str, session: Any
) -> tuple[int, str, datetime.datetime] | None:
    found = selectors.call_get_for_participant(
        user=user, public_id=public_id, session=session or {}
    )
    if found is None:
        return None
    call, role = found
    return call.pk, role, call.ends_at


@database_sync_to_async  # channels ships no types
def _end_at_limit(call_id: int) -> str:
    call = services.call_end(
        call=CallSession.objects.get(pk=call_id), reason=EndReason.TIME_LIMIT, actor=None
    )
    return call.end_reason


def _clean(message: Any) -> dict[str, Any] | None:
    """The relayed message with only the fields a browser needs, or None when malformed."""
    if not isinstance(message, dict):
        return None
    kind = message.get("type")
    if kind in ("offer", "answer"):
        sdp = message.get("sdp")
        if not isinstance(sdp, str) or not sdp or len(sdp) > MAX_SDP:
            return None
        return {"type": kind, "sdp": sdp}
    if kind == "candidate":
        candidate = message.get("candidate")
        if candidate is None:  # end of candidates
            return {"type": kind, "candidate": None}
        if not isinstance(candidate, dict):
            return None
        text, mid, index = (
            candidate.get("candidate"), candidate.get("sdpMid"), candidate.get("sdpMLineIndex")
        )  # fmt: skip
        if not isinstance(text, str) or len(text) > MAX_CANDIDATE:
            return None
        if mid is not None and (not isinstance(mid, str) or len(mid) > 64):
            return None
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            return None
        return {
            "type": kind,
            "candidate": {"candidate": text, "sdpMid": mid, "sdpMLineIndex": index},
        }
    if kind == "restart":  # the citizen's network changed: ask the agent for an ICE restart
        return {"type": kind}
    return None


class CallConsumer(AsyncWebsocketConsumer):  # untyped base
    call_id: int | None = None
    role: str = ""
    group: str = ""
    ends_at: datetime.datetime
    clock: asyncio.Task[None] | None = None
    finished = False
    peer = ""  # the other side's channel, to ignore the departure of a socket it replaced

    async def connect(self) -> None:
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        found = await _participant(self.scope.get("user"), public_id, self.scope.get("session"))
        if found is None:
            await self.close()  # before accept: the handshake is refused (HTTP 403), always alike
            return
        self.call_id, self.role, self.ends_at = found
        self.group = f"video.call.{public_id}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send({"type": "hello", "role": self.role, **self._times()})
        await self.channel_layer.group_send(
            self.group, {"type": "call.presence", "role": self.role, "sender": self.channel_name}
        )
        self.clock = asyncio.create_task(self._run_clock())

    async def disconnect(self, code: int) -> None:
        if self.clock is not None:
            self.clock.cancel()
        if self.group:
            await self.channel_layer.group_send(
                self.group, {"type": "call.gone", "role": self.role, "sender": self.channel_name}
            )
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data == "ping":
            await self.send(text_data="pong")
            return
        if text_data is None or len(text_data) > MAX_MESSAGE:
            await self._send({"type": "error", "code": "bad_message"})
            return
        try:
            data = _clean(json.loads(text_data))
        except ValueError:
            data = None
        if data is None:
            await self._send({"type": "error", "code": "bad_message"})
            return
        await self.channel_layer.group_send(
            self.group, {"type": "call.signal", "data": data, "sender": self.channel_name}
        )

    # --- group messages ---------------------------------------------------------------------

    async def call_presence(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        if event["role"] == self.role:  # the same person opened the call again (reload, tab)
            await self._send({"type": "replaced"})
            await self._finish(CLOSE_REPLACED)
            return
        if event["sender"] == self.peer:  # already met (a presence that crossed its answer)
            return
        self.peer = event["sender"]
        await self._send({"type": "peer", "state": "joined"})
        await self.channel_layer.send(
            event["sender"], {"type": "call.here", "role": self.role, "sender": self.channel_name}
        )

    async def call_here(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.peer:
            self.peer = event["sender"]
            await self._send({"type": "peer", "state": "joined"})

    async def call_gone(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.peer:
            self.peer = ""
            await self._send({"type": "peer", "state": "left"})

    async def call_signal(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self._send(event["data"])

    async def call_ended(self, event: dict[str, Any]) -> None:
        await self._send({"type": "ended", "reason": event.get("reason", "")})
        await self._finish(CLOSE_ENDED)

    # --- the clock --------------------------------------------------------------------------

    def _times(self) -> dict[str, Any]:
        remaining = (self.ends_at - timezone.now()).total_seconds()
        return {"ends_at": self.ends_at.isoformat(), "remaining": max(0, int(remaining))}

    async def _sleep_until(self, moment: datetime.datetime) -> None:
        delay = (moment - timezone.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _run_clock(self) -> None:
        try:
            # On a reconnection inside a warning window, the latest warning is repeated at once.
            due = [
                w for w in WARNINGS if self.ends_at - datetime.timedelta(seconds=w) > timezone.now()
            ]
            passed = [w for w in WARNINGS if w not in due]
            if passed and timezone.now() < self.ends_at:
                await self._warn(min(passed))
            for seconds in due:
                await self._sleep_until(self.ends_at - datetime.timedelta(seconds=seconds))
                await self._warn(seconds)
            await self._sleep_until(self.ends_at)
            reason = await _end_at_limit(self.call_id or 0)
            await self.call_ended({"reason": reason})
        except asyncio.CancelledError:
            raise
        except Exception:  # the clock must not die silently: the socket closes, the page retries
            logger.exception("video call clock failed")
            await self._finish(1011)

    async def _warn(self, seconds: int) -> None:
        await self._send({"type": "warning", "seconds": seconds, **self._times()})

    async def _send(self, message: dict[str, Any]) -> None:
        if not self.finished:
            await self.send(text_data=json.dumps(message, separators=(",", ":")))

    async def _finish(self, code: int) -> None:
        if not self.finished:
            self.finished = True
            with contextlib.suppress(Exception):
                await self.close(code=code)
