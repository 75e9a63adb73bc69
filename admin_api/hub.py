"""Publish/subscribe for the live websockets (screen-pops, transcripts, campaign figures).

``Hub`` is the interface; ``InProcessHub`` serves one process. A Redis pub/sub hub with the
same two methods replaces it when the API runs in several processes. ``publish`` is
thread-safe and never blocks: a slow subscriber loses its oldest messages, not the publisher.
The topic names and the message encoding live in ``data.live`` so that the IVR (a layer
below the API) publishes screen-pops on the same topics.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Protocol

from data.live import SUPERVISOR_TOPIC, Message, agent_topic, campaign_topic

__all__ = [
    "SUPERVISOR_TOPIC",
    "Hub",
    "InProcessHub",
    "Message",
    "Subscription",
    "agent_topic",
    "campaign_topic",
]


class Subscription(Protocol):
    async def get(self) -> Message: ...


class Hub(Protocol):
    def publish(self, topic: str, message: Message) -> None: ...

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]: ...


@dataclass(eq=False)
class _Queue:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Message]

    def offer(self, message: Message) -> None:
        if self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(message)

    async def get(self) -> Message:
        return await self.queue.get()


@dataclass
class InProcessHub:
    maxsize: int = 256
    _topics: dict[str, set[_Queue]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, topic: str, message: Message) -> None:
        with self._lock:
            queues = list(self._topics.get(topic, ()))
        for q in queues:
            try:
                q.loop.call_soon_threadsafe(q.offer, message)
            except RuntimeError:  # that subscriber's loop has closed
                self._drop(topic, q)

    def subscribers(self, topic: str) -> int:
        with self._lock:
            return len(self._topics.get(topic, ()))

    def _drop(self, topic: str, q: _Queue) -> None:
        with self._lock:
            subs = self._topics.get(topic)
            if subs is not None:
                subs.discard(q)
                if not subs:
                    del self._topics[topic]

    @asynccontextmanager
    async def _subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        q = _Queue(asyncio.get_running_loop(), asyncio.Queue(self.maxsize))
        with self._lock:
            self._topics.setdefault(topic, set()).add(q)
        try:
            yield q
        finally:
            self._drop(topic, q)

    def subscribe(self, topic: str) -> AbstractAsyncContextManager[Subscription]:
        return self._subscribe(topic)
