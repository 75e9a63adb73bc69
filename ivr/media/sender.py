"""The sending half: native PCM -> 20 ms RTP slin frames, paced in real time, stoppable."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterable
from dataclasses import dataclass

from ivr.media.jitter import FrameAssembler
from ivr.media.rtp import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, PT_SLIN, RtpPacket, native_to_be

FRAME_S = FRAME_MS / 1000
Address = tuple[str, int]


@dataclass(frozen=True, slots=True)
class PlayResult:
    frames_sent: int
    interrupted: bool
    first_frame_at: float | None  # event-loop time the first frame left
    ended_at: float


class RtpSender:
    """Sends audio to Asterisk's ExternalMedia port as 20 ms frames on a fixed schedule.

    ``play()`` sends one utterance (bytes, or an async iterable of chunks streamed by TTS);
    ``stop()`` (barge-in) makes it return before the next frame is sent, so at most one
    more 20 ms frame leaves after the stop. Sequence numbers and timestamps continue across
    utterances; the first frame of each carries the marker bit.
    """

    def __init__(
        self, transport: asyncio.DatagramTransport, remote: Address, *, payload_type: int = PT_SLIN
    ) -> None:
        self._transport = transport
        self.remote = remote
        self.payload_type = payload_type
        self.ssrc = secrets.randbits(32)
        self._seq = secrets.randbits(16)
        self._ts = secrets.randbits(32)
        self._stop = asyncio.Event()
        self.frames_sent = 0

    def stop(self) -> None:
        """Stop the utterance being played (if any) at the next frame boundary."""
        self._stop.set()

    def _send(self, frame_native: bytes, marker: bool) -> None:
        packet = RtpPacket(
            self.payload_type, self._seq, self._ts, self.ssrc, native_to_be(frame_native), marker
        )
        self._transport.sendto(packet.to_bytes(), self.remote)
        self._seq = (self._seq + 1) & 0xFFFF
        self._ts = (self._ts + FRAME_SAMPLES) & 0xFFFFFFFF
        self.frames_sent += 1

    async def play(self, audio: bytes | AsyncIterable[bytes]) -> PlayResult:
        """Send ``audio`` (native int16 8 kHz) paced at 20 ms a frame; see ``stop()``."""
        self._stop = stop = asyncio.Event()
        frames: asyncio.Queue[bytes | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        async with asyncio.TaskGroup() as tg:
            feeder = tg.create_task(_feed(audio, frames))
            try:
                result = await self._pace(frames, stop, loop)
            finally:
                feeder.cancel()
        return result

    async def _pace(
        self,
        frames: asyncio.Queue[bytes | None],
        stop: asyncio.Event,
        loop: asyncio.AbstractEventLoop,
    ) -> PlayResult:
        sent, first_at, marker = 0, None, True
        base, n = loop.time(), 0
        while (frame := await _next_or_stop(frames, stop)) is not None:
            now = loop.time()
            due = base + n * FRAME_S
            if now > due + FRAME_S:  # the source fell behind: restart the schedule, no burst
                base, n, due = now, 0, now
            if due > now and await _stopped_within(stop, due - now):
                break
            self._send(frame, marker)
            marker = False
            first_at = first_at if first_at is not None else loop.time()
            sent, n = sent + 1, n + 1
        return PlayResult(sent, stop.is_set(), first_at, loop.time())


async def _feed(audio: bytes | AsyncIterable[bytes], frames: asyncio.Queue[bytes | None]) -> None:
    assembler = FrameAssembler(FRAME_BYTES)
    try:
        if isinstance(audio, bytes | bytearray | memoryview):
            for frame in assembler.push(bytes(audio)):
                frames.put_nowait(frame)
        else:
            async for chunk in audio:
                for frame in assembler.push(chunk):
                    frames.put_nowait(frame)
        last = assembler.flush()
        if last is not None:
            frames.put_nowait(last)
    finally:
        frames.put_nowait(None)


async def _stopped_within(stop: asyncio.Event, delay: float) -> bool:
    """Wait ``delay`` seconds; True as soon as ``stop`` is set."""
    try:
        async with asyncio.timeout(delay):
            await stop.wait()
    except TimeoutError:
        return False
    return True


async def _next_or_stop(frames: asyncio.Queue[bytes | None], stop: asyncio.Event) -> bytes | None:
    if stop.is_set():
        return None
    if not frames.empty():
        return frames.get_nowait()
    getter = asyncio.ensure_future(frames.get())
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not getter.done():
            getter.cancel()
    return None if stop.is_set() or not getter.done() else getter.result()
