"""CPU and frame spacing of N calls' RTP senders on one loop: this tree's sender against the one
in a git revision (issue 13: one frame timer per loop instead of one timer per call and frame).

    .venv/bin/python bench/sender_pacing_bench.py [--calls 30] [--seconds 10] [--base 24889b1]

Each call plays ``seconds`` of audio to a loopback sink (starts spread over one frame); the sink
records each stream's packet arrival gaps. Prints CPU-seconds per call-minute of speaking (the
sink's receiving included, the same for both) and the gaps' p50 / p99 / max, twice each.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from ivr.media import open_rtp_endpoint
from ivr.media.rtp import RATE


def _module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Sink(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.last: dict[int, float] = {}
        self.gaps: list[float] = []

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        now = time.perf_counter()
        (ssrc,) = struct.unpack_from("!I", data, 8)
        if ssrc in self.last:
            self.gaps.append((now - self.last[ssrc]) * 1000)
        self.last[ssrc] = now


async def _run(sender: ModuleType, label: str, calls: int, seconds: float) -> None:
    loop = asyncio.get_running_loop()
    transport, sink = await loop.create_datagram_endpoint(_Sink, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    endpoints = [await open_rtp_endpoint() for _ in range(calls)]
    pcm = bytes(RATE * 2 * int(seconds))

    async def one(i: int) -> None:
        await asyncio.sleep(0.02 * i / calls)
        await sender.RtpSender(endpoints[i].transport, ("127.0.0.1", port)).play(pcm)

    cpu0 = _cpu_s()
    await asyncio.gather(*(one(i) for i in range(calls)))
    spent = _cpu_s() - cpu0
    gaps = sorted(sink.gaps)

    def q(x: float) -> float:
        return gaps[min(len(gaps) - 1, int(x * len(gaps)))]

    print(f"  {label:6s} {spent / (calls * seconds / 60):.3f} CPU-s per call-minute; gap ms "
          f"p50 {q(0.5):.1f} p99 {q(0.99):.1f} max {gaps[-1]:.1f}", flush=True)  # fmt: skip
    for endpoint in endpoints:
        endpoint.close()
    transport.close()


async def main(calls: int, seconds: float, base: str, old_source: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sender_base.py"
        path.write_bytes(old_source)
        old = _module(path, "sender_base")
    new = _module(Path(__file__).parents[1] / "ivr" / "media" / "sender.py", "sender_tree")
    print(f"{calls} senders on one loop, {seconds:.0f} s each; base = {base}")
    for _ in range(2):
        await _run(old, "base", calls, seconds)
        await _run(new, "tree", calls, seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--base", default="24889b1", help="git revision of the sender to compare")
    args = parser.parse_args()
    show = ["git", "show", f"{args.base}:ivr/media/sender.py"]
    source = subprocess.run(show, check=True, capture_output=True).stdout
    asyncio.run(main(args.calls, args.seconds, args.base, source))
