"""``RedisHub``: the live hub over Redis pub/sub, so that every API process (uvicorn worker,
host) sees the screen-pops and figures published by any other.

``publish`` is a short synchronous round trip to Redis (the handlers that publish run in the
threadpool, never on the event loop); ``subscribe`` uses ``redis.asyncio`` and one connection
per subscriber (one per open websocket).
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

import redis
import redis.asyncio as aioredis

from admin_api.hub import Message, Subscription
from core.logging import get_logger

log = get_logger(__name__)


@dataclass
class _RedisSubscription:
    pubsub: aioredis.client.PubSub
    poll: float

    async def get(self) -> Message:
        while True:
            raw = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=self.poll)
            if raw is None or raw.get("type") != "message":
                continue
            try:
                data = json.loads(raw["data"])
            except (TypeError, ValueError):
                log.warning("hub.bad_message")
                continue
            if isinstance(data, dict):
                return data


@dataclass
class RedisHub:
    url: str
    prefix: str = "collectbot:live:"
    poll: float = 1.0
    _client: redis.Redis | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _sync(self) -> redis.Redis:
        with self._lock:
            if self._client is None:
                self._client = redis.Redis.from_url(self.url, socket_timeout=2.0)
            return self._client

    def publish(self, topic: str, message: Message) -> None:
        try:
            self._sync().publish(self.prefix + topic, json.dumps(message, default=str))
        except redis.RedisError as e:
            # live views are best effort: the database stays the record
            log.warning("hub.publish_failed", topic=topic, error=type(e).__name__)

    @asynccontextmanager
    async def _subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        client = aioredis.Redis.from_url(self.url, socket_timeout=None)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self.prefix + topic)
            yield _RedisSubscription(pubsub, self.poll)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        return self._subscribe(topic)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
