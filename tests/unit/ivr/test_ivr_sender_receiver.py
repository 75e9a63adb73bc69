"""The paced sender and the receiver over a real loopback UDP socket pair, on a loop whose clock
is virtual (``virtual_time``): the pacing is the sender's schedule, not the machine's load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from virtual_time import in_virtual_time

from ivr.media import RtpPacket, open_rtp_endpoint
from ivr.media.audio import tone
from ivr.media.rtp import FRAME_BYTES, native_to_be


@in_virtual_time
async def test_sender_paces_20ms_and_receiver_reassembles() -> None:
    a = await open_rtp_endpoint()
    b = await open_rtp_endpoint()
    try:
        sender = a.sender(b.host, b.port)
        audio = tone(1000, 200)  # 10 frames
        loop = asyncio.get_running_loop()
        started = loop.time()
        result = await sender.play(audio)
        elapsed = loop.time() - started
        assert result.frames_sent == 10
        assert not result.interrupted
        assert 0.17 <= elapsed <= 0.40, elapsed  # 9 gaps of 20 ms after the first frame
        await asyncio.sleep(0.05)
        received = b.receiver.drain()
        assert len(received) >= 7 * FRAME_BYTES  # last depth-1 frames wait in the jitter buffer
        assert received == audio[: len(received)]
        assert b.receiver.remote == (a.host, a.port)
    finally:
        a.close()
        b.close()


@in_virtual_time
async def test_stop_ends_playback_within_one_frame() -> None:
    a = await open_rtp_endpoint()
    b = await open_rtp_endpoint()
    try:
        sender = a.sender(b.host, b.port)
        task = asyncio.create_task(sender.play(tone(1000, 5000)))
        await asyncio.sleep(0.2)
        loop = asyncio.get_running_loop()
        stopped_at = loop.time()
        sender.stop()
        result = await task
        assert result.interrupted
        assert loop.time() - stopped_at < 0.02
        assert 8 <= result.frames_sent <= 13
    finally:
        a.close()
        b.close()


@in_virtual_time
async def test_streamed_source_and_stop_while_waiting_for_source() -> None:
    a = await open_rtp_endpoint()
    b = await open_rtp_endpoint()
    try:
        sender = a.sender(b.host, b.port)

        async def slow_tts() -> AsyncIterator[bytes]:
            yield tone(500, 30)  # 1.5 frames
            await asyncio.sleep(10)
            yield tone(500, 30)

        task = asyncio.create_task(sender.play(slow_tts()))
        await asyncio.sleep(0.1)
        sender.stop()
        result = await asyncio.wait_for(task, 0.1)
        assert result.interrupted
        assert result.frames_sent == 1
    finally:
        a.close()
        b.close()


@in_virtual_time
async def test_receiver_reorders_and_ignores_other_payload_types() -> None:
    b = await open_rtp_endpoint(depth=3)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0)
    )
    try:
        frames = [bytes([i]) * 2 * 80 for i in range(1, 7)]
        order = [0, 2, 1, 3, 5, 4]
        for i in order:
            payload = native_to_be(frames[i])
            transport.sendto(
                RtpPacket(10, 100 + i, 160 * i, 7, payload).to_bytes(), (b.host, b.port)
            )
        transport.sendto(RtpPacket(0, 200, 0, 7, b"\xff" * 160).to_bytes(), (b.host, b.port))
        transport.sendto(b"junk", (b.host, b.port))
        await asyncio.sleep(0.05)
        assert b.receiver.drain() == b"".join(frames)
        assert b.receiver.stats.wrong_payload_type == 1
        assert b.receiver.stats.malformed == 1
    finally:
        transport.close()
        b.close()
