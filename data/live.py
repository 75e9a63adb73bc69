"""Live messages for the consoles: topic names, the JSON encoding, and publishers over Redis
pub/sub.

The admin API's websockets (``admin_api.hub``/``admin_api.redis_hub``) deliver what is
published on a topic to its subscribers; any process may publish (an API handler, the IVR of
any worker). Shapes (JSON objects with a ``type``): ``screen_pop``, ``transcript``,
``call.ended``, ``case.assigned`` on an agent's topic; ``agent.status`` and campaign events on
the supervisors' topic (see docs/admin-api.md).
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import redis
import redis.asyncio as aioredis

from core.logging import get_logger
from data.errors import DataError

log = get_logger(__name__)

Message = dict[str, Any]  # a JSON object
LIVE_PREFIX = "collectbot:live:"
SUPERVISOR_TOPIC = "supervisors"
QUEUE_TOPIC = "agents:queue"  # transfers to the agents' queue: no one agent known yet


def agent_topic(agent_id: str) -> str:
    return f"agent:{agent_id}"


def campaign_topic(campaign_id: str) -> str:
    return f"campaign:{campaign_id}"


class LivePublishError(DataError):
    """A live message could not be published (Redis down or too slow)."""


def encode(message: Message) -> str:
    return json.dumps(message, default=str)


def decode(raw: object) -> Message | None:
    """A received payload as a message; None (logged) when it is not a JSON object."""
    try:
        data = json.loads(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        log.warning("hub.bad_message")
        return None
    return data if isinstance(data, dict) else None


@dataclass
class RedisPublisher:
    """Synchronous, thread-safe, best effort: a failure is logged (``hub.publish_failed``)."""

    url: str
    prefix: str = LIVE_PREFIX
    socket_timeout_s: float = 2.0
    _client: redis.Redis | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _sync(self) -> redis.Redis:
        with self._lock:
            if self._client is None:
                self._client = redis.Redis.from_url(self.url, socket_timeout=self.socket_timeout_s)
            return self._client

    def publish(self, topic: str, message: Message) -> None:
        try:
            self._sync().publish(self.prefix + topic, encode(message))
        except redis.RedisError as e:
            # live views are best effort: the database stays the record
            log.warning("hub.publish_failed", topic=topic, error=type(e).__name__)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


@dataclass
class AsyncRedisPublisher:
    """For event-loop code (the IVR): each publish is bounded by ``timeout_s`` and raises
    ``LivePublishError`` on failure, so the caller decides how loudly to log it."""

    url: str
    prefix: str = LIVE_PREFIX
    timeout_s: float = 1.0
    _client: aioredis.Redis | None = None

    def _async(self) -> aioredis.Redis:
        if self._client is None:
            self._client = aioredis.Redis.from_url(
                self.url, socket_timeout=self.timeout_s, socket_connect_timeout=self.timeout_s
            )
        return self._client

    async def publish(self, topic: str, message: Message) -> None:
        try:
            async with asyncio.timeout(self.timeout_s):
                await self._async().publish(self.prefix + topic, encode(message))
        except (redis.RedisError, OSError, TimeoutError) as e:
            raise LivePublishError(f"publish to {topic!r} failed: {type(e).__name__}") from e

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
