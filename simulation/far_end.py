"""The debtor's side of one simulated call, on the simulator's own Stasis app.

A ``FarEnd`` takes a channel that is ringing on the simulator's app (the far half of
``Local/…@sim-debtor``), answers it, bridges it with an ExternalMedia leg, and speaks its
lines (rendered by TTS) each time the bot has finished speaking: ``<silence>`` stays quiet for
a turn, ``<hangup>`` hangs up. It is used by ``simulation.simulate`` (one call it placed
itself) and by ``simulation.debtor_pool`` (the calls a dialer places to simulated numbers).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from core.clock import Clock
from core.dialogue import Lang
from core.logging import get_logger
from ivr.ari import AriClient, AriEvent
from ivr.call_control import make_by_id, tidy
from ivr.errors import AriError
from ivr.media import open_rtp_endpoint
from ivr.media.rtp import RATE
from simulation.scenario import HANGUP, SILENCE
from simulation.simulator import SimulatedDebtor

log = get_logger(__name__)
LATE_LEG_S = 10.0  # how long a far end's timed-out ExternalMedia leg is waited for after the call


@dataclass(slots=True)
class DebtorTurn:
    line: str
    said_at: datetime
    voice_to_voice_ms: float | None = None


@dataclass(frozen=True, slots=True)
class FarEndTiming:
    turn_silence_ms: int = 1200  # the bot's turn is over after this much quiet
    wait_bot_s: float = 45.0  # longest wait for the bot to speak (covers a no-input re-prompt)


class LineVoice(Protocol):
    """What a far end needs of a voice: one line as PCM (any ``tts.base.Synthesizer``)."""

    async def synthesize(self, text: str, language: str, sample_rate: int) -> bytes: ...


class SimEvents:
    """Futures for events on the simulator's Stasis app (e.g. ``StasisStart`` of a channel)."""

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Future[AriEvent]] = {}

    def resolve(self, event: AriEvent) -> bool:
        """Hand ``event`` to whoever waits for it; False when nobody did."""
        waiter = self._waiters.pop(f"{event.type}:{event.channel_id}", None)
        if waiter is None or waiter.done():
            return False
        waiter.set_result(event)
        return True

    async def on_event(self, event: AriEvent) -> None:
        self.resolve(event)

    def expect(self, kind: str, channel_id: str) -> asyncio.Future[AriEvent]:
        future: asyncio.Future[AriEvent] = asyncio.get_running_loop().create_future()
        self._waiters[f"{kind}:{channel_id}"] = future
        return future


class FarEnd:
    """One simulated debtor on ``far_id``; ``talk`` returns the lines said when the call ends."""

    def __init__(
        self,
        ari: AriClient,
        events: SimEvents,
        far_id: str,
        *,
        voice: LineVoice,
        lang: Lang,
        lines: tuple[str, ...],
        clock: Clock,
        timing: FarEndTiming | None = None,
    ) -> None:
        self.ari, self.events, self.far_id = ari, events, far_id
        self.voice, self.lang, self.lines = voice, lang, lines
        self.clock, self.timing = clock, timing or FarEndTiming()
        self.em_id, self.bridge_id = f"{far_id}-em", f"{far_id}-br"
        self.turns: list[DebtorTurn] = []

    async def talk(self, over: asyncio.Future[Any]) -> list[DebtorTurn]:
        """Answer, set up media, say the lines until ``over`` completes (the call ended, seen
        from outside) or the lines end with ``<hangup>``; always clean up."""
        endpoint, em_up = None, None
        try:
            await self.ari.answer(self.far_id)
            endpoint = await open_rtp_endpoint()
            em_up = self.events.expect("StasisStart", self.em_id)
            em = await self.ari.external_media(endpoint.external_host, channel_id=self.em_id)
            await asyncio.wait_for(em_up, 10)
            await make_by_id(partial(self.ari.create_bridge, bridge_id=self.bridge_id))
            await self.ari.add_to_bridge(self.bridge_id, [self.far_id, self.em_id])
            debtor = SimulatedDebtor(endpoint, endpoint.sender(em.local_host, em.local_port))
            async with asyncio.TaskGroup() as tg:
                listener = tg.create_task(debtor.listen())
                driver = tg.create_task(self._drive(debtor))
                try:
                    await asyncio.wait({over, driver}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    listener.cancel()
                    driver.cancel()
        finally:
            await self.cleanup()
            if endpoint is not None:
                endpoint.close()
            if em_up is not None:
                await self._late_leg(em_up)
        return self.turns

    async def _late_leg(self, em_up: asyncio.Future[AriEvent]) -> None:
        """An ExternalMedia request that timed out may be carried out after the clean-up (on a
        loaded Asterisk): a leg that comes up a little later is hung up too (the soak found
        one left after its drain)."""
        if em_up.done():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(em_up, LATE_LEG_S)
            await tidy(self.far_id, "late_leg", partial(self.ari.hangup, self.em_id))

    async def _drive(self, debtor: SimulatedDebtor) -> None:
        """Say each line once the bot's turn is over; then stay on the line."""
        loop = asyncio.get_running_loop()
        after = 0.0
        for line in self.lines:
            try:
                await debtor.wait_turn_end(
                    after=after,
                    silence_ms=self.timing.turn_silence_ms,
                    within=self.timing.wait_bot_s,
                )
            except TimeoutError:
                log.warning("ivr.simulate.bot_silent", call_id=self.far_id)
            turn = DebtorTurn(line, self.clock.now())
            self.turns.append(turn)
            if line == HANGUP:
                with contextlib.suppress(AriError):
                    await self.ari.hangup(self.far_id)
                return
            if line == SILENCE:
                after = loop.time()
                continue
            pcm = await self.voice.synthesize(line, self.lang, RATE)
            played = await debtor.say(pcm)
            after = played.ended_at
            with contextlib.suppress(TimeoutError):
                reply = await debtor.wait_first_loud(after=after, within=self.timing.wait_bot_s)
                turn.voice_to_voice_ms = (reply - played.ended_at) * 1000
        await asyncio.Event().wait()  # the lines are used up: the bot ends the call

    async def cleanup(self) -> None:
        """Each step asked again while its request times out (``tidy``)."""
        for channel_id in (self.em_id, self.far_id):
            await tidy(self.far_id, "hangup", partial(self.ari.hangup, channel_id))
        await tidy(self.far_id, "destroy_bridge", partial(self.ari.destroy_bridge, self.bridge_id))
