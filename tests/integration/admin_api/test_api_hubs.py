"""The live hubs: the in-process one and the Redis one (a real Redis on loopback) deliver the
same messages; with Redis, a message published by one process reaches another's subscribers."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest
from conftest import ensure_service

from admin_api.hub import Hub, InProcessHub
from admin_api.redis_hub import RedisHub

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


@pytest.fixture(params=["in-process", "redis"])
def hubs(request: pytest.FixtureRequest) -> Iterator[tuple[Hub, Hub]]:
    """(publisher, subscriber): for Redis two separate hubs, as in two API processes."""
    if request.param == "in-process":
        hub = InProcessHub()
        yield hub, hub
        return
    ensure_service("redis", REDIS_PORT)
    prefix = f"test:{os.getpid()}:{id(request)}:"
    a, b = RedisHub(REDIS_URL, prefix=prefix, poll=0.05), RedisHub(REDIS_URL, prefix=prefix)
    yield a, b
    a.close()
    b.close()


async def test_messages_reach_subscribers_of_their_topic_only(hubs: tuple[Hub, Hub]) -> None:
    publisher, subscriber = hubs
    async with subscriber.subscribe("agent:a1") as mine, subscriber.subscribe("agent:a2") as other:
        await asyncio.sleep(0.05)  # Redis: the SUBSCRIBE is in place
        # published from a worker thread, as the sync handlers do
        await asyncio.to_thread(publisher.publish, "agent:a1", {"type": "screen_pop", "n": 1})
        await asyncio.to_thread(publisher.publish, "agent:a1", {"type": "transcript", "n": 2})
        await asyncio.to_thread(publisher.publish, "agent:a2", {"type": "screen_pop", "n": 3})
        got = [await asyncio.wait_for(mine.get(), 5) for _ in range(2)]
        assert got == [{"type": "screen_pop", "n": 1}, {"type": "transcript", "n": 2}]
        assert await asyncio.wait_for(other.get(), 5) == {"type": "screen_pop", "n": 3}


async def test_publishing_without_subscribers_is_harmless(hubs: tuple[Hub, Hub]) -> None:
    publisher, _ = hubs
    await asyncio.to_thread(publisher.publish, "nobody", {"x": 1})


def test_redis_hub_survives_a_dead_redis() -> None:
    hub = RedisHub("redis://127.0.0.1:1/0")
    hub.publish("agent:a1", {"x": 1})  # logged, not raised: live views are best effort
