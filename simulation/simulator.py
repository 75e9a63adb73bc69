"""A simulated debtor's ears and mouth: an RTP endpoint on the far leg of a test call.

It listens to what the debtor hears (time-stamped 20 ms frames, each classified loud or quiet
once on arrival), tells when the bot has finished a turn (speech, then a stretch of silence),
and speaks lines (PCM) back. Used by the integration tests and the latency benchmarks; the
call itself runs in Asterisk.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib

from ivr.media import PlayResult, RtpEndpoint, RtpSender
from ivr.media.audio import rms
from ivr.media.jitter import FrameAssembler
from ivr.media.rtp import FRAME_BYTES

SPEECH_RMS = 200.0


class SimulatedDebtor:
    def __init__(self, endpoint: RtpEndpoint, sender: RtpSender) -> None:
        self.endpoint, self.sender = endpoint, sender
        self.heard: list[tuple[float, bytes]] = []
        self._loud: list[float] = []  # arrival times of loud frames, in order
        self._changed = asyncio.Event()

    async def listen(self) -> None:
        """Run as a task: collect what the debtor hears, in 20 ms frames with arrival times."""
        loop = asyncio.get_running_loop()
        frames = FrameAssembler(FRAME_BYTES)
        async for chunk in self.endpoint.receiver.chunks():
            now = loop.time()
            for frame in frames.push(chunk):
                self.heard.append((now, frame))
                if rms(frame) > SPEECH_RMS:
                    self._loud.append(now)
            self._changed.set()

    def loud_times(self, after: float = 0.0) -> list[float]:
        return self._loud[bisect.bisect_right(self._loud, after) :]

    def first_loud_after(self, after: float) -> float | None:
        # the times are in arrival order: a search, not a scan (woken at every frame)
        i = bisect.bisect_right(self._loud, after)
        return self._loud[i] if i < len(self._loud) else None

    def audio_after(self, after: float) -> bytes:
        return b"".join(frame for t, frame in self.heard if t > after)

    async def wait_turn_end(
        self, *, after: float = 0.0, silence_ms: int = 600, within: float = 30.0
    ) -> float:
        """Wait until the bot spoke (after ``after``) and then was quiet ``silence_ms``;
        returns the arrival time of the bot's last loud frame. Quiet is measured on the
        clock, so it also works when Asterisk sends no frames while nobody speaks."""
        loop = asyncio.get_running_loop()
        quiet_s = silence_ms / 1000
        async with asyncio.timeout(within):
            while True:
                last = self._loud[-1] if self._loud else None
                if last is not None and last > after:
                    remaining = last + quiet_s - loop.time()
                    if remaining <= 0:
                        return last
                else:
                    remaining = None
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._changed.wait()

    async def wait_first_loud(self, *, after: float = 0.0, within: float = 10.0) -> float:
        """Wait until the debtor hears speech (after ``after``); its arrival time."""
        async with asyncio.timeout(within):
            while (first := self.first_loud_after(after)) is None:
                self._changed.clear()
                await self._changed.wait()
        return first

    async def say(self, pcm: bytes) -> PlayResult:
        """Speak a line (native int16 8 kHz), paced in real time."""
        return await self.sender.play(pcm)
