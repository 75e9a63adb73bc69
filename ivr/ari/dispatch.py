"""Ordered per-channel dispatch: one queue and one worker per channel, channels in parallel."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self, TypeAlias

from core.logging import get_logger
from ivr.ari.models import AriEvent

log = get_logger(__name__)

Handler: TypeAlias = Callable[[AriEvent], Awaitable[None]]
GLOBAL_KEY = ""
# a key's worker ends after these: a channel's after it is destroyed, a bridge's likewise (each
# call's bridges would otherwise leave a queue and a task behind for the life of the process)
END_EVENTS = frozenset({"ChannelDestroyed", "BridgeDestroyed"})


def dispatch_key(event: AriEvent) -> str:
    """Events of one channel share a key; bridge-only events share the bridge's key."""
    return event.channel_id or (f"bridge:{event.bridge_id}" if event.bridge_id else GLOBAL_KEY)


class OrderedDispatcher:
    """Calls ``handler`` for every submitted event.

    Events with the same key (channel id) are handled one after another in arrival order;
    different channels run concurrently. A failing handler is logged and does not stop the
    channel's later events. The worker of a channel ends after its ``ChannelDestroyed``, a
    bridge's after its ``BridgeDestroyed``.
    """

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._queues: dict[str, asyncio.Queue[AriEvent | None]] = {}
        self._tg: asyncio.TaskGroup | None = None

    async def __aenter__(self) -> Self:
        self._tg = asyncio.TaskGroup()
        await self._tg.__aenter__()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        for queue in self._queues.values():
            queue.put_nowait(None)
        tg, self._tg = self._tg, None
        if tg is not None:
            await tg.__aexit__(et, e, tb)

    @property
    def active_keys(self) -> frozenset[str]:
        return frozenset(self._queues)

    def submit(self, event: AriEvent) -> None:
        if self._tg is None:
            raise RuntimeError("OrderedDispatcher used outside 'async with'")
        key = dispatch_key(event)
        queue = self._queues.get(key)
        if queue is None:
            queue = asyncio.Queue()
            self._queues[key] = queue
            self._tg.create_task(self._worker(key, queue), name=f"ari-dispatch-{key}")
        queue.put_nowait(event)
        if key != GLOBAL_KEY and event.type in END_EVENTS:
            self.close(key)

    def close(self, key: str) -> None:
        """Let the worker of ``key`` finish what is queued, then end."""
        queue = self._queues.pop(key, None)
        if queue is not None:
            queue.put_nowait(None)

    async def _worker(self, key: str, queue: asyncio.Queue[AriEvent | None]) -> None:
        while (event := await queue.get()) is not None:
            try:
                await self._handler(event)
            except Exception as e:  # a handler bug must not stop the channel's later events
                log.exception("ari.handler_failed", key=key, event_type=event.type, error=repr(e))
