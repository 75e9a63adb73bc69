"""``RedisHub``: the live hub over Redis pub/sub, so that every API process (uvicorn worker,
host) sees the screen-pops and figures published by any other.

``publish`` (``data.live.RedisPublisher``) is a short synchronous round trip to Redis (the
handlers that publish run in the threadpool, never on the event loop); ``subscribe`` uses
``redis.asyncio`` and one connection per subscriber (one per open websocket).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field

import redis.asyncio as aioredis

from admin_api.hub import Message, Subscription
from data.live import LIVE_PREFIX, RedisPublisher, decode


@dataclass
class _RedisSubscription:
    pubsub: aioredis.client.PubSub
    poll: float

    async def get(self) -> Message:
        while True:
            raw = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=self.poll)
            if raw is None or raw.get("type") != "message":
                continue
            data = decode(raw["data"])
            if data is not None:
                return data


@dataclass
class RedisHub:
    url: str
    prefix: str = LIVE_PREFIX
    poll: float = 1.0
    _publisher: RedisPublisher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._publisher = RedisPublisher(self.url, self.prefix)

    def publish(self, topic: str, message: Message) -> None:
        self._publisher.publish(topic, message)  # best effort: a failure is logged

    @asynccontextmanager
    async def _subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        client = aioredis.Redis.from_url(self.url, socket_timeout=None)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self.prefix + topic)
            yield _RedisSubscription(pubsub, self.poll)
        finally:
            # Bound to a typed name: redis < 8 leaves aclose() untyped (a call would need an
            # ignore), redis 8 types it (the ignore would be unused); this reads right on both.
            close_pubsub: Callable[[], Awaitable[None]] = pubsub.aclose
            await close_pubsub()
            await client.aclose()

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        return self._subscribe(topic)

    def close(self) -> None:
        self._publisher.close()
