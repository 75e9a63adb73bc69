"""A worker's Redis calls never swallow the cancellation that ends them.

``CampaignWorker.run`` ends its keep-alive task by cancelling it; that task spends most of its
life inside ``DialQueue`` calls. Python 3.11's ``asyncio.wait_for`` returns the inner result
instead of raising when the cancellation arrives in the same loop turn as Redis' reply, and the
keep-alive then loops on for as long as its ``stop`` event stays clear: the worker never
returned (``test_the_campaigns_most_attempts_end_the_retries`` hung for minutes under load).
The fakes below answer in exactly that turn; no Redis is needed."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
import redis.asyncio as aioredis

from dialer.queue import DialQueue


class AnswerOnCue:
    """The few client calls used here; each reply is a future the test resolves."""

    def __init__(self) -> None:
        self.replies: list[asyncio.Future[Any]] = []

    def register_script(self, script: str) -> object:
        return object()

    def set(self, key: str, value: str, px: int) -> asyncio.Future[Any]:
        reply = asyncio.get_running_loop().create_future()
        self.replies.append(reply)
        return reply


async def test_a_cancel_that_meets_the_reply_still_cancels() -> None:
    client = AnswerOnCue()
    queue = DialQueue(cast(aioredis.Redis, client), timeout_s=5.0)
    call = asyncio.create_task(queue.heartbeat("w-1"))
    await asyncio.sleep(0)  # the call sends its request and waits for the reply
    assert len(client.replies) == 1
    client.replies[0].set_result(True)  # Redis answers ...
    call.cancel()  # ... in the same turn as the worker ends its keep-alive
    with pytest.raises(asyncio.CancelledError):
        await call
    assert call.cancelled()


async def test_a_reply_that_never_comes_is_a_timeout_not_a_hang() -> None:
    client = AnswerOnCue()
    queue = DialQueue(cast(aioredis.Redis, client), timeout_s=0.01)
    with pytest.raises(Exception, match="redis: TimeoutError") as raised:
        await queue.heartbeat("w-1")
    assert type(raised.value).__name__ == "QueueUnavailable"
    assert client.replies[0].cancelled()  # the request was abandoned, not left running
