"""A call's inbox: the ARI events of its channels (in the router's order) and the listener's
voice-activity signals, one queue the session reads its next event from.

``CallOver`` ends the call from wherever it is raised (the caller hung up while the bot waited
for a leg, the agent hung up, the bot said goodbye); its reason becomes the call's end reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from asr.vad import SpeechEnded, SpeechStarted
from ivr.ari.models import AriEvent

HANGUP_EVENTS = frozenset({"StasisEnd", "ChannelDestroyed", "ChannelHangupRequest"})


@dataclass(frozen=True, slots=True)
class Vad:
    """The listener heard speech start or end (``at``: event-loop time). ``voice_ended_at``
    (an end): when the caller's last voiced frame arrived, ``at`` less the silence waited."""

    event: SpeechStarted | SpeechEnded
    at: float
    voice_ended_at: float | None = None


Signal = AriEvent | Vad


class CallOver(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CallEvents:
    """What happens on one call, in order. ``deliver`` is called by the router (ARI events of
    the call's channels), ``post`` by the listener; ``get`` and ``wait_ari`` by the session."""

    def __init__(self, channel_id: str) -> None:
        self.channel_id = channel_id
        self._inbox: asyncio.Queue[Signal] = asyncio.Queue()
        self._ari: asyncio.Queue[AriEvent] = asyncio.Queue()
        self._on_hangup: list[Callable[[], None]] = []

    def deliver(self, event: AriEvent) -> None:
        self._inbox.put_nowait(event)
        self._ari.put_nowait(event)
        if self.is_hangup(event):
            for hook in self._on_hangup:
                hook()

    def post(self, signal: Vad) -> None:
        self._inbox.put_nowait(signal)

    def when_hung_up(self, hook: Callable[[], None]) -> None:
        """Run ``hook`` when the caller's channel hangs up (e.g. stop speaking at once)."""
        self._on_hangup.append(hook)

    def is_hangup(self, event: AriEvent) -> bool:
        return event.channel_id == self.channel_id and event.type in HANGUP_EVENTS

    async def get(self) -> Signal:
        return await self._inbox.get()

    async def wait_ari(self, kind: str, channel_id: str, within: float) -> AriEvent:
        """The next ``kind`` event of ``channel_id`` (TimeoutError after ``within`` seconds;
        ``CallOver("caller_hung_up")`` if the caller hangs up first)."""
        async with asyncio.timeout(within):
            while True:
                event = await self._ari.get()
                if event.type == kind and event.channel_id == channel_id:
                    return event
                if self.is_hangup(event):
                    raise CallOver("caller_hung_up")
