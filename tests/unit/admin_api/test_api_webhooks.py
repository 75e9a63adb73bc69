"""The webhook dispatcher signs every delivery and retries failures with backoff."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import httpx

from admin_api.webhooks import WebhookDispatcher, verify_signature
from core.clock import FixedClock

SECRET = "w" * 40


async def test_deliveries_are_signed_and_retried_until_accepted() -> None:
    clock = FixedClock(datetime(2026, 11, 29, 12, tzinfo=UTC))
    seen: list[tuple[str, dict[str, object], bool]] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        ok = verify_signature(
            SECRET,
            request.headers["x-collectbot-signature"],
            request.content,
            now=int(clock.now().timestamp()),
            tolerance=300,
        )
        seen.append((request.headers["x-collectbot-event"], json.loads(request.content), ok))
        return httpx.Response(500 if len(seen) < 3 else 204)

    dispatcher = WebhookDispatcher(
        urls=["https://receiver.example/hook"],
        secret=SECRET,
        clock=clock,
        retries=3,
        backoff=0.001,
        transport=httpx.MockTransport(receiver),
    )
    assert dispatcher.emit("outcome", {"case_id": "L1"}) is None  # not running yet: dropped
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(dispatcher.run())
        await asyncio.wait_for(dispatcher.ready.wait(), 5)
        delivery = dispatcher.emit("outcome", {"case_id": "L1", "outcome": "promise"})
        await asyncio.wait_for(dispatcher.settled.wait(), 5)
        task.cancel()
    assert dispatcher.delivered == [delivery]
    assert len(seen) == 3
    assert all(ok for _, _, ok in seen)
    assert seen[0][:2] == (
        "outcome",
        {"event": "outcome", "data": {"case_id": "L1", "outcome": "promise"}},
    )


async def test_a_delivery_that_never_succeeds_is_recorded_as_failed() -> None:
    clock = FixedClock(datetime(2026, 11, 29, 12, tzinfo=UTC))
    calls = 0

    def down(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ConnectError("refused", request=request)

    dispatcher = WebhookDispatcher(
        urls=["https://down.example/hook"],
        secret=SECRET,
        clock=clock,
        retries=2,
        backoff=0.001,
        transport=httpx.MockTransport(down),
    )
    async with asyncio.TaskGroup() as tg:
        task = tg.create_task(dispatcher.run())
        await asyncio.wait_for(dispatcher.ready.wait(), 5)
        delivery = dispatcher.emit("payments", {"applied": 3})
        await asyncio.wait_for(dispatcher.settled.wait(), 5)
        task.cancel()
    assert dispatcher.failed == [delivery]
    assert calls == 3
