"""The simulated debtor's side (``FarEnd``) leaves no leg behind when its ExternalMedia request
times out and Asterisk carries it out after the clean-up (the soak found one such leg after its
drain), nor when its hang-ups time out once."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
from typing import Any

from core.clock import FixedClock
from ivr.ari import AriEvent
from ivr.errors import AriNotFound, AriTimeout
from simulation.far_end import FarEnd, SimEvents

FAR = "att_1;2"
EM = f"{FAR}-em"


class LoadedAsterisk:
    """The ARI calls a far end makes: ExternalMedia times out and its leg comes up 50 ms later;
    the first hang-up of each leg times out (never reaching Asterisk)."""

    def __init__(self, events: SimEvents) -> None:
        self.events, self.up, self.hangups = events, {FAR}, list[str]()
        self._lost: set[str] = set()

    async def answer(self, channel_id: str) -> None:
        pass

    async def external_media(self, host: str, *, channel_id: str) -> Any:
        def comes_up() -> None:
            self.up.add(channel_id)
            start = {"type": "StasisStart", "application": "sim", "channel": {"id": channel_id}}
            self.events.resolve(AriEvent.from_json(start))

        asyncio.get_running_loop().call_later(0.05, comes_up)
        raise AriTimeout("ARI POST /channels/externalMedia timed out")

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        self.hangups.append(channel_id)
        if channel_id not in self._lost:
            self._lost.add(channel_id)
            raise AriTimeout(f"ARI DELETE /channels/{channel_id} timed out")
        if channel_id not in self.up:
            raise AriNotFound(channel_id)
        self.up.discard(channel_id)

    async def destroy_bridge(self, bridge_id: str) -> None:
        raise AriNotFound(bridge_id)


class Voice:
    async def synthesize(self, text: str, language: str, sample_rate: int) -> bytes:
        return b""


async def test_a_media_leg_that_comes_up_after_the_far_ends_clean_up_is_hung_up() -> None:
    events = SimEvents()
    asterisk = LoadedAsterisk(events)
    far = FarEnd(
        asterisk,  # type: ignore[arg-type]
        events, FAR, voice=Voice(), lang="en", lines=("hello",),
        clock=FixedClock(datetime(2026, 12, 7, tzinfo=UTC)),
    )  # fmt: skip
    over: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    with contextlib.suppress(AriTimeout):  # its call failed (the pool logs it): what is left?
        await asyncio.wait_for(far.talk(over), 15)
    assert asterisk.up == set()
    assert asterisk.hangups.count(EM) >= 2  # the clean-up's (404 before it came up), the late one
