"""Outbound webhooks (outcomes, payments): signed with HMAC-SHA256, retried with backoff.

Each delivery is a POST of a JSON body with ``X-CollectBot-Event``, ``X-CollectBot-Delivery``
and ``X-CollectBot-Signature: t=<unix>,v1=<hex>``, where ``v1`` is the HMAC-SHA256 of
``"<t>.<body>"`` under the shared secret. A receiver recomputes it and rejects old ``t``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.clock import Clock
from core.ids import new_id
from core.logging import get_logger

log = get_logger(__name__)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(secret: str, header: str, body: bytes, *, now: int, tolerance: int) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), f"t={ts},v1={parts.get('v1', '')}")


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    event: str
    body: bytes


@dataclass
class WebhookDispatcher:
    """Queue + one sender task per app. ``emit`` is thread-safe; ``run`` sends until cancelled."""

    urls: list[str]
    secret: str
    clock: Clock
    retries: int = 5
    backoff: float = 0.5
    timeout: float = 5.0
    transport: httpx.AsyncBaseTransport | None = None  # tests inject a provider
    delivered: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)  # set once run() listens
    settled: asyncio.Event = field(default_factory=asyncio.Event)  # set after each delivery
    _queue: asyncio.Queue[Delivery] | None = None
    _loop: asyncio.AbstractEventLoop | None = None

    def emit(self, event: str, payload: dict[str, Any]) -> str | None:
        if not self.urls or self._loop is None or self._queue is None:
            return None
        body = json.dumps({"event": event, "data": payload}, default=str, sort_keys=True)
        delivery = Delivery(new_id("whk"), event, body.encode())
        self._loop.call_soon_threadsafe(self._queue.put_nowait, delivery)
        return delivery.id

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.ready.set()
        async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
            while True:
                delivery = await self._queue.get()
                for url in self.urls:
                    await self._deliver(client, url, delivery)
                self.settled.set()

    async def _deliver(self, client: httpx.AsyncClient, url: str, d: Delivery) -> None:
        for attempt in range(self.retries + 1):
            ts = int(self.clock.now().timestamp())
            headers = {
                "content-type": "application/json",
                "x-collectbot-event": d.event,
                "x-collectbot-delivery": d.id,
                "x-collectbot-signature": sign(self.secret, ts, d.body),
            }
            try:
                response = await client.post(url, content=d.body, headers=headers)
                if response.status_code < 300:
                    self.delivered.append(d.id)
                    log.info("webhook.delivered", delivery=d.id, webhook_event=d.event)
                    return
                problem = f"status {response.status_code}"
            except httpx.HTTPError as e:
                problem = type(e).__name__
            log.warning("webhook.retry", delivery=d.id, attempt=attempt, problem=problem)
            await asyncio.sleep(self.backoff * 2**attempt)
        self.failed.append(d.id)
        log.error("webhook.failed", delivery=d.id, webhook_event=d.event)
