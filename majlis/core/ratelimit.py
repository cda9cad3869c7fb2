"""Rate caps: at most `limit` actions per `window` for a key, over a sliding window.

`rate_take` counts an action if the cap allows it and says whether it did, in one atomic step
(a Lua script in Redis; a per-key lock in the database), so concurrent requests never get past a
cap together. `rate_give_back` un-counts the last action (a correct code is not a failure).

The caps fail closed: if the store cannot be reached, `RateLimiterUnavailable` is raised and the
caller refuses the action (QUALITY R4: rate limits never fail open).
"""

import hashlib
import time
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from majlis.core.models import RateEvent


class RateLimiterUnavailable(RuntimeError):
    """The rate-cap store did not answer; the action must not go ahead."""


# KEYS[1] = the key; ARGV = now (ms), window (ms), limit, a unique member.
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
_GIVE_BACK = """
local last = redis.call('ZRANGE', KEYS[1], -1, -1)
if last[1] then redis.call('ZREM', KEYS[1], last[1]) end
return 1
"""


@cache
def _redis():  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
    )
    return client, client.register_script(_TAKE), client.register_script(_GIVE_BACK)


def _redis_key(key: str) -> str:
    return f"{settings.RATE_LIMIT_PREFIX}:{key}"


def _lock_key(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def rate_take(key: str, *, limit: int, window: timedelta) -> bool:
    """Count one action under `key` if fewer than `limit` happened in `window`; True if counted."""
    if settings.REDIS_URL:
        import redis

        _client, take, _give_back = _redis()
        now_ms = int(time.time() * 1000)
        member = f"{now_ms}:{time.perf_counter_ns()}"
        try:
            return bool(
                take(
                    keys=[_redis_key(key)],
                    args=[now_ms, int(window.total_seconds() * 1000), limit, member],
                )
            )
        except redis.RedisError as exc:
            raise RateLimiterUnavailable(str(exc)) from exc
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Serialise takers of this key; SQLite already serialises all writers (IMMEDIATE).
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(key)])
            now = timezone.now()
            if RateEvent.objects.filter(key=key, at__gt=now - window).count() >= limit:
                return False
            RateEvent.objects.create(key=key, at=now)
            return True
    except DatabaseError as exc:
        raise RateLimiterUnavailable(str(exc)) from exc


def rate_give_back(key: str) -> None:
    """Un-count the most recent action under `key`."""
    if settings.REDIS_URL:
        import redis

        _client, _take, give_back = _redis()
        try:
            give_back(keys=[_redis_key(key)])
        except redis.RedisError as exc:
            raise RateLimiterUnavailable(str(exc)) from exc
        return
    last = RateEvent.objects.filter(key=key).order_by("-at", "-id").first()
    if last is not None:
        last.delete()


def rate_count(key: str, *, window: timedelta) -> int:
    """How many actions under `key` fall in `window` now (for display and tests)."""
    if settings.REDIS_URL:
        import redis

        client, _take, _give_back = _redis()
        now_ms = int(time.time() * 1000)
        try:
            return int(
                client.zcount(_redis_key(key), now_ms - int(window.total_seconds() * 1000), "+inf")
            )
        except redis.RedisError as exc:
            raise RateLimiterUnavailable(str(exc)) from exc
    return RateEvent.objects.filter(key=key, at__gt=timezone.now() - window).count()


def rate_prune(*, older_than: timedelta) -> int:
    """Delete database events no cap looks at any more; returns how many."""
    deleted, _detail = RateEvent.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted
