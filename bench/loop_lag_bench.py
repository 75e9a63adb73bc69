"""What the ASR/TTS worker threads cost the event loop, and whether ASR in worker processes
pays (issue 13, lever 3). No Asterisk: the calls are simulated on one loop.

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/loop_lag_bench.py [--calls 10] [--seconds 40]

Each simulated call runs a 20 ms ticker (the RTP pacing every call has: how late it wakes is
what a frame waits) and, every 3-5 s, one turn: Whisper tiny.en decodes a 2-3 s utterance
(espeak-ng audio at 8 kHz) and Piper renders a one-sentence reply. Modes:

- ``threads``: today's path, ``WhisperRecognizer`` on its worker thread, Piper on its pool;
- ``process``: Whisper in a pool of ``--workers`` processes, each loading the model once
  (``ProcessRecognizer`` below, a prototype), Piper unchanged.

Printed per mode: tick lateness p50/p95/p99/max, decode wall p50/p95, turns done, and the
CPU-seconds of this process and of its worker processes. Wall figures on a shared machine are
noisy: compare the modes within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor

import psutil  # type: ignore[import-untyped]  # no types-psutil in dev deps
from ivr_bench_rig import LINES, percentile

from asr.base import RecognitionOptions, RecognitionStream, Recognizer, Transcript
from asr.stream import BufferedStream
from asr.whisper import WhisperRecognizer
from core.logging import configure_logging
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer

RATE = 8000
TICK_S = 0.02
_worker_recognizer: WhisperRecognizer | None = None


def _load() -> None:
    global _worker_recognizer  # one model per worker process
    configure_logging(level="WARNING")
    _worker_recognizer = WhisperRecognizer()
    asyncio.run(_worker_recognizer.warm_up())


def _decode(pcm: bytes, sample_rate: int, options: RecognitionOptions) -> Transcript:
    assert _worker_recognizer is not None
    return _worker_recognizer.transcribe_sync(pcm, sample_rate, options)


class ProcessRecognizer:
    """Prototype: Whisper decodes in a pool of processes, one model copy per process."""

    def __init__(self, workers: int) -> None:
        # spawn, not fork: a forked child inherits the parent's ONNX Runtime / BLAS threads' locks
        # and hangs (measured: fork deadlocked at the first decode)
        spawn = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_load, mp_context=spawn)
        self._workers = workers

    @property
    def languages(self) -> frozenset[str]:
        return frozenset({"en"})

    async def warm_up(self) -> None:
        loop = asyncio.get_running_loop()
        silence = bytes(RATE)
        options = RecognitionOptions.of("en")
        calls = [
            loop.run_in_executor(self._pool, _decode, silence, RATE, options)
            for _ in range(self._workers)
        ]
        await asyncio.gather(*calls)

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, _decode, pcm, sample_rate, options)

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        return BufferedStream(self, sample_rate, options)

    def child_cpu_s(self) -> float:
        me = psutil.Process()
        total = 0.0
        for child in me.children(recursive=True):
            times = child.cpu_times()
            total += times.user + times.system
        return total

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


async def _call(
    recognizer: Recognizer,
    tts: PiperSynthesizer,
    lines: list[bytes],
    until: float,
    lateness: list[float],
    decodes: list[float],
) -> None:
    loop = asyncio.get_running_loop()
    options = RecognitionOptions.of("en")

    async def ticker() -> None:
        due = loop.time()
        while loop.time() < until:
            due += TICK_S
            await asyncio.sleep(max(0.0, due - loop.time()))
            lateness.append((loop.time() - due) * 1000)

    async def turns() -> None:
        await asyncio.sleep(random.uniform(0, 3))
        while loop.time() < until:
            started = loop.time()
            heard = await recognizer.transcribe(random.choice(lines), RATE, options)
            decodes.append((loop.time() - started) * 1000)
            await tts.synthesize(heard.text or "Sorry?", "en", RATE)
            await asyncio.sleep(random.uniform(3, 5))

    async with asyncio.TaskGroup() as tg:
        tg.create_task(ticker())
        tg.create_task(turns())


async def run_mode(mode: str, calls: int, seconds: float, workers: int) -> None:
    random.seed(13)
    lines = [await EspeakSynthesizer().synthesize(t, "en", RATE) for t in LINES]
    tts = PiperSynthesizer()
    await tts.warm_up()
    process = ProcessRecognizer(workers) if mode == "process" else None
    recognizer: Recognizer = process or WhisperRecognizer()
    await recognizer.warm_up()
    me = psutil.Process()
    cpu0 = me.cpu_times()
    child0 = process.child_cpu_s() if process else 0.0
    lateness: list[float] = []
    decodes: list[float] = []
    until = asyncio.get_running_loop().time() + seconds
    async with asyncio.TaskGroup() as tg:
        for _ in range(calls):
            tg.create_task(_call(recognizer, tts, lines, until, lateness, decodes))
    cpu1 = me.cpu_times()
    main_cpu = cpu1.user + cpu1.system - cpu0.user - cpu0.system
    child = (process.child_cpu_s() - child0) if process else 0.0
    if process:
        process.close()
    print(f"{mode:8} ticks late ms p50 {percentile(lateness, 50):6.1f} p95 "
          f"{percentile(lateness, 95):6.1f} p99 {percentile(lateness, 99):6.1f} max "
          f"{max(lateness):7.1f} | decode ms p50 {percentile(decodes, 50):6.0f} p95 "
          f"{percentile(decodes, 95):6.0f} | turns {len(decodes):3d} | CPU-s main "
          f"{main_cpu:5.1f} workers {child:5.1f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="threads,process")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    started = time.monotonic()
    load = psutil.getloadavg()
    print(f"{args.calls} simulated calls, {args.seconds:.0f} s per mode, "
          f"{psutil.cpu_count()} cores, load average {load[0]:.1f}")  # fmt: skip
    for mode in args.modes.split(","):
        asyncio.run(run_mode(mode, args.calls, args.seconds, args.workers))
    print(f"{time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
