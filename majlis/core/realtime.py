"""Publishing to WebSocket groups from ordinary (synchronous) code.

Public feeds (messages `{"type": "queue.event", "text": json}`, the branch queue feed) go through
the per-process fan-out hub, `core.fanout` (decision 0016): one Redis PUBLISH of the text, or an
in-process hand-over without Redis. Everything else (video signalling) goes through the Channels
layer, as follows.

With Redis configured, the channel layer is channels_redis' pub/sub layer: a group message is one
Redis PUBLISH of the msgpack-serialised message on `<prefix>__group__<group>`, which every socket
process subscribed to the group receives once and hands to its own consumers. Calling the async
layer through `async_to_sync` from a WSGI thread would open a fresh event loop and Redis connection
for every message, so we publish the same bytes through one pooled synchronous client instead.
Without Redis (the embedded profile) the in-memory layer only works inside its own process, and we
go through it as Channels intends.
"""

import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from majlis.core import fanout

# The message type of public feeds: `text` is written unchanged to every socket of the group.
FEED_EVENT = "queue.event"

logger = logging.getLogger(__name__)

_client_lock = threading.Lock()
_client: Any = None


def _redis_client() -> Any:
    global _client
    with _client_lock:
        if _client is None:
            import redis

            _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        return _client


def group_publish(group: str, message: dict[str, Any]) -> None:
    """Send `message` to every socket in `group`, on every app process. Never raises: a page
    that misses an update resynchronises by itself (version gap or periodic refresh)."""
    if message.get("type") == FEED_EVENT:
        try:
            fanout.publish(group, message["text"])
        except Exception:  # a lost broadcast must never undo or fail the change it reports
            logger.exception("could not publish to %s", group)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if type(layer).__name__ == "RedisPubSubChannelLayer":
            from channels_redis.utils import _consistent_hash

            layers: dict[str, Any] = settings.CHANNEL_LAYERS
            config: dict[str, Any] = layers["default"]["CONFIG"]
            hosts = config["hosts"]
            prefix = config.get("prefix", "asgi")
            channel = f"{prefix}__group__{group}"
            if len(hosts) != 1 or _consistent_hash(channel, len(hosts)) != 0:
                async_to_sync(layer.group_send)(group, message)
                return
            _redis_client().publish(channel, layer.serialize(message))
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # a lost broadcast must never undo or fail the change it reports
        logger.exception("could not publish to %s", group)
