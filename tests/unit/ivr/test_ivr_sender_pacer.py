"""Many calls' senders on one loop share one frame timer: each stream still leaves at 20 ms a
frame, a stop or a cancel lets nothing more out, a late source or loop makes no burst. The
loop's clock is virtual (``virtual_time``): the times are the sender's schedule, the same on a
fast and a loaded machine."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import struct
from collections.abc import AsyncIterator

from virtual_time import in_virtual_time

from ivr.media import RtpSender, open_rtp_endpoint
from ivr.media.audio import tone


class _Sink(asyncio.DatagramProtocol):
    """Arrival times of every packet, by SSRC."""

    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = {}
        self.loop = asyncio.get_running_loop()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        (ssrc,) = struct.unpack_from("!I", data, 8)
        self.arrivals.setdefault(ssrc, []).append(self.loop.time())


async def _sink() -> tuple[asyncio.DatagramTransport, _Sink, int]:
    loop = asyncio.get_running_loop()
    transport, sink = await loop.create_datagram_endpoint(_Sink, local_addr=("127.0.0.1", 0))
    return transport, sink, int(transport.get_extra_info("sockname")[1])


@contextlib.asynccontextmanager
async def _one_sender() -> AsyncIterator[tuple[RtpSender, _Sink]]:
    """A sender on its own socket, sending to a recording sink."""
    transport, sink, port = await _sink()
    endpoint = await open_rtp_endpoint()
    try:
        yield endpoint.sender("127.0.0.1", port), sink
    finally:
        endpoint.close()
        transport.close()


@in_virtual_time
async def test_thirty_streams_started_apart_each_keep_20ms_frames() -> None:
    transport, sink, port = await _sink()
    endpoints = [await open_rtp_endpoint() for _ in range(30)]
    try:
        senders = [e.sender("127.0.0.1", port) for e in endpoints]

        async def one(i: int) -> None:
            await asyncio.sleep(0.0137 * i)  # phases that are no multiple of the tick
            result = await senders[i].play(tone(440, 600))  # 30 frames
            assert result.frames_sent == 30
            assert not result.interrupted

        await asyncio.gather(*(one(i) for i in range(30)))
        await asyncio.sleep(0.05)
        assert len(sink.arrivals) == 30
        for times in sink.arrivals.values():
            assert len(times) == 30
            span = times[-1] - times[0]
            assert 0.54 <= span <= 0.70, span  # 29 gaps of 20 ms, no burst, no stretch
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert sum(1 for g in gaps if g < 0.005) <= 1  # never two frames at once
    finally:
        for e in endpoints:
            e.close()
        transport.close()


@in_virtual_time
async def test_the_first_frame_leaves_at_once_not_at_the_next_tick() -> None:
    """No timer is involved in the first frame: it is out after the play task's first steps
    (the shared tick is 10 ms away), and the rest follow at 20 ms."""
    async with _one_sender() as (sender, sink):
        for n in range(1, 4):
            task = asyncio.create_task(sender.play(tone(440, 100)))
            for _ in range(3):
                await asyncio.sleep(0)
            assert sender.frames_sent == 5 * (n - 1) + 1
            result = await task
            assert result.frames_sent == 5
        await asyncio.sleep(0.02)
        assert len(sink.arrivals[sender.ssrc]) == 15


@in_virtual_time
async def test_stop_and_cancel_let_no_further_frame_out() -> None:
    transport, sink, port = await _sink()
    a, b = await open_rtp_endpoint(), await open_rtp_endpoint()
    try:
        stopped, cancelled = a.sender("127.0.0.1", port), b.sender("127.0.0.1", port)
        play_stopped = asyncio.create_task(stopped.play(tone(440, 3000)))
        play_cancelled = asyncio.create_task(cancelled.play(tone(440, 3000)))
        await asyncio.sleep(0.25)
        stopped.stop()
        play_cancelled.cancel()
        at = asyncio.get_running_loop().time()
        result = await play_stopped
        assert result.interrupted
        assert result.frames_sent == stopped.frames_sent
        await asyncio.sleep(0.15)
        for sender in (stopped, cancelled):
            times = sink.arrivals[sender.ssrc]
            assert len(times) == sender.frames_sent  # what was counted is what left
            assert 10 <= len(times) <= 16
            assert all(t <= at + 0.001 for t in times)
        assert play_cancelled.cancelled()
    finally:
        a.close()
        b.close()
        transport.close()


@in_virtual_time
async def test_a_new_utterance_ends_the_one_playing() -> None:
    async with _one_sender() as (sender, _):
        first = asyncio.create_task(sender.play(tone(440, 3000)))
        await asyncio.sleep(0.1)
        second = await sender.play(tone(880, 100))
        assert (await first).interrupted
        assert second.frames_sent == 5
        assert not second.interrupted


@in_virtual_time
async def test_a_source_slower_than_real_time_restarts_the_schedule_without_a_burst() -> None:
    async with _one_sender() as (sender, sink):

        async def stalling_tts() -> AsyncIterator[bytes]:
            yield tone(440, 100)  # 5 frames, then the engine takes 200 ms for the next clause
            await asyncio.sleep(0.2)
            yield tone(440, 100)

        result = await sender.play(stalling_tts())
        assert result.frames_sent == 10
        await asyncio.sleep(0.05)
        times = sink.arrivals[sender.ssrc]
        late = [b - a for a, b in itertools.pairwise(times[5:])]
        assert min(late) >= 0.012, late  # after the gap: paced again, not 4 frames at once
