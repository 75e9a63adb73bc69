"""The bot's Python media path per call-minute, without Asterisk (issue 13).

    nice -n 10 .venv/bin/python bench/media_cpu_bench.py [--calls 10] [--seconds 10]

``--calls`` RTP streams on one event loop over loopback UDP, 20 ms slin frames in real time:
receiving them (parse, jitter buffer, byte order, the listener's queue) with and without the
VAD endpointer, and sending a prompt (``RtpSender``: paced 20 ms frames). Prints CPU-seconds per
call-minute of each; the packets' own sending (the "far end") is not counted in the receive
figures.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import socket
import time

from asr.vad import Endpointer
from ivr.media import RtpEndpoint, open_rtp_endpoint
from ivr.media.rtp import FRAME_BYTES, PT_SLIN, RATE, RtpPacket


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _consume(endpoint: RtpEndpoint, vad: bool) -> None:
    endpointer = Endpointer(RATE)
    async for chunk in endpoint.receiver.chunks():
        if vad:
            endpointer.feed(chunk)


async def receive(calls: int, seconds: float, vad: bool) -> float:
    """CPU-s per call-minute of receiving (and with ``vad``, endpointing) caller audio."""
    endpoints = [await open_rtp_endpoint() for _ in range(calls)]
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload = bytes(FRAME_BYTES)
    tasks = [asyncio.create_task(_consume(e, vad)) for e in endpoints]
    started, sending = _cpu_s(), 0.0
    for k in range(int(seconds * 50)):
        s0 = time.process_time()
        for i, e in enumerate(endpoints):
            packet = RtpPacket(PT_SLIN, k & 0xFFFF, k * 160, 1000 + i, payload)
            tx.sendto(packet.to_bytes(), (e.host, e.port))
        sending += time.process_time() - s0
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)
    spent = _cpu_s() - started - sending
    for task in tasks:
        task.cancel()
    for e in endpoints:
        e.close()
    tx.close()
    return spent / (calls * seconds / 60)


async def send(calls: int, seconds: float) -> float:
    """CPU-s per call-minute of the bot speaking (paced frames to a socket nobody reads)."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    port = sink.getsockname()[1]
    endpoints = [await open_rtp_endpoint() for _ in range(calls)]
    pcm = bytes(RATE * 2 * int(seconds))
    started = _cpu_s()
    await asyncio.gather(*(e.sender("127.0.0.1", port).play(pcm) for e in endpoints))
    spent = _cpu_s() - started
    for e in endpoints:
        e.close()
    sink.close()
    return spent / (calls * seconds / 60)


async def main(calls: int, seconds: float) -> None:
    print(f"media path, {calls} calls on one loop, {seconds:.0f} s each (CPU-s per call-minute)")
    print(f"  receive               {await receive(calls, seconds, vad=False):.3f}")
    print(f"  receive + VAD         {await receive(calls, seconds, vad=True):.3f}")
    print(f"  send (bot speaking)   {await send(calls, seconds):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.seconds))
