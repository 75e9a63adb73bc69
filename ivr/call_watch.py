"""Watching a dialed channel until its call ends, for whoever placed it (the dialer).

A call ends either unanswered (the channel is destroyed before it ever reached the IVR, with a
Q.850 cause) or as an IVR ``CallSession`` whose ``CallResult`` says how the conversation went.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ivr.ari.models import AriEvent
from ivr.calls import CallResult


@dataclass(frozen=True, slots=True)
class HungUpUnanswered:
    cause: int
    cause_text: str


CallEnd = CallResult | HungUpUnanswered


class CallWatchers:
    """Futures keyed by channel id, resolved by the IVR application's event dispatch."""

    def __init__(self) -> None:
        self._futures: dict[str, asyncio.Future[CallEnd]] = {}

    def watch(self, channel_id: str) -> asyncio.Future[CallEnd]:
        future: asyncio.Future[CallEnd] = asyncio.get_running_loop().create_future()
        self._futures[channel_id] = future

        def forget(done: asyncio.Future[CallEnd]) -> None:
            if self._futures.get(channel_id) is done:
                del self._futures[channel_id]

        future.add_done_callback(forget)
        return future

    def unowned_event(self, event: AriEvent) -> None:
        """An event of a channel no session owns: a destroyed channel never answered."""
        channel_id = event.channel_id
        future = self._futures.get(channel_id) if channel_id else None
        if future is None or future.done() or event.type != "ChannelDestroyed":
            return
        cause = event.raw.get("cause", 0)
        future.set_result(
            HungUpUnanswered(
                int(cause) if isinstance(cause, int) else 0, str(event.raw.get("cause_txt", ""))
            )
        )

    def finished(self, result: CallResult) -> None:
        future = self._futures.get(result.channel_id)
        if future is not None and not future.done():
            future.set_result(result)
