"""The sending half: native PCM -> 20 ms RTP slin frames, paced in real time, stoppable."""

from __future__ import annotations

import asyncio
import secrets
import weakref
from collections import deque
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
    ``stop()`` (barge-in) makes it return at once, and no frame leaves after the stop.
    Sequence numbers and timestamps continue across utterances; the first frame of each
    carries the marker bit. The frames are paced by the loop's one ``_Pacer`` (a timer every
    10 ms for all calls), not by a timer per call and frame.
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
        self._playing: _Playback | None = None
        self.frames_sent = 0

    def stop(self) -> None:
        """Stop the utterance being played (if any): no further frame of it is sent."""
        if self._playing is not None:
            self._playing.finish(interrupted=True)

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
        loop = asyncio.get_running_loop()
        if self._playing is not None:  # one utterance at a time: a new one ends the last
            self._playing.finish(interrupted=True)
        self._playing = playback = _Playback(self, loop)
        try:
            async with asyncio.TaskGroup() as tg:
                feeder = tg.create_task(_feed(audio, playback))
                try:
                    return await playback.done
                finally:
                    playback.finish(interrupted=True)  # cancelled: nothing more leaves
                    feeder.cancel()
        finally:
            if self._playing is playback:
                self._playing = None


class _Playback:
    """One utterance's frames and schedule: frame ``n`` is due at ``base + n * FRAME_S``."""

    __slots__ = ("_loop", "base", "done", "fed", "first_at", "frames", "n", "sender", "sent")

    def __init__(self, sender: RtpSender, loop: asyncio.AbstractEventLoop) -> None:
        self.sender, self._loop = sender, loop
        self.frames: deque[bytes] = deque()
        self.fed = False  # the source has no more frames
        self.base: float | None = None
        self.n = self.sent = 0
        self.first_at: float | None = None
        self.done: asyncio.Future[PlayResult] = loop.create_future()

    def step(self, now: float) -> bool:
        """Send the frames due at ``now`` (half a tick early at most); False once over."""
        if self.done.done():
            return False
        frames = self.frames
        while frames:
            if self.base is None:
                self.base = now
            due = self.base + self.n * FRAME_S
            if now > due + FRAME_S:  # the source or the loop fell behind: restart, no burst
                self.base, self.n, due = now, 0, now
            if due > now + _EARLY_S:
                return True
            self.sender._send(frames.popleft(), self.sent == 0)
            if self.first_at is None:
                self.first_at = self._loop.time()
            self.sent, self.n = self.sent + 1, self.n + 1
        if self.fed:
            self.finish(interrupted=False)
            return False
        return True

    def poke(self) -> None:
        """New frames: send what is due now (the first frame leaves without waiting a tick)."""
        if self.step(self._loop.time()):
            _pacer(self._loop).add(self)

    def finish(self, *, interrupted: bool) -> None:
        if not self.done.done():
            result = PlayResult(self.sent, interrupted, self.first_at, self._loop.time())
            self.done.set_result(result)


_TICK_S = 0.01
_EARLY_S = _TICK_S / 2


class _Pacer:
    """The loop's one frame timer: every ``_TICK_S`` each playing utterance sends what is due
    (1,500 frames a second at 30 calls cost 100 wake-ups, not 1,500 timers and tasks)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._playing: dict[_Playback, None] = {}  # ordered: calls are served in turn
        self._next: float | None = None

    def add(self, playback: _Playback) -> None:
        self._playing[playback] = None
        if self._next is None:
            self._next = self._loop.time() + _TICK_S
            self._loop.call_at(self._next, self._tick)

    def _tick(self) -> None:
        now = self._loop.time()
        for playback in list(self._playing):
            if not playback.step(now):
                del self._playing[playback]
        if not self._playing or self._next is None:
            self._next = None
            return
        upcoming = self._next + _TICK_S
        self._next = upcoming if upcoming > now else now + _TICK_S  # late: no catching up
        self._loop.call_at(self._next, self._tick)


_pacers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pacer] = weakref.WeakKeyDictionary()


def _pacer(loop: asyncio.AbstractEventLoop) -> _Pacer:
    pacer = _pacers.get(loop)
    if pacer is None:
        pacer = _pacers[loop] = _Pacer(loop)
    return pacer


async def _feed(audio: bytes | AsyncIterable[bytes], playback: _Playback) -> None:
    assembler = FrameAssembler(FRAME_BYTES)
    try:
        if isinstance(audio, bytes | bytearray | memoryview):
            playback.frames.extend(assembler.push(bytes(audio)))
        else:
            async for chunk in audio:
                playback.frames.extend(assembler.push(chunk))
                playback.poke()
        last = assembler.flush()
        if last is not None:
            playback.frames.append(last)
    finally:
        playback.fed = True
        playback.poke()
