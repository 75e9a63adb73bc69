"""Voice-to-voice and processing latency per turn, one call at a time, through the sandbox.

    flock /tmp/collectbot-sandbox.lock .venv/bin/python bench/turn_latency.py \
        [--turns 21] [--tts piper|espeak] [--levers cache,turn]

Starts the sandbox Asterisk if needed (root). The bot (Whisper tiny.en + Piper or espeak-ng)
runs in its own process (``ivr_bot_worker.py``); the simulated debtor speaks espeak-ng lines.
Prints voice-to-voice p50/p95, the bot's CPU-seconds per call-minute and the CPU of the bot,
the far end (this process) and Asterisk separately, turn ends from meaning and cut-offs, and
the bot's event-loop lag. ``--levers`` switches the issue-13 levers on in the bot through the
product's settings: ``cache`` is ``IVR_PROMPT_CACHE`` (static prompts from the prompt cache),
``turn`` is ``IVR_TURN_END=meaning`` (turn end from meaning); without a lever the bot runs with
it off (no cache, silence-only turn ends), so a run without ``--levers`` is the "before".
"""

from __future__ import annotations

import argparse
import asyncio
import time

from ivr_bench_rig import CallStats, CpuMeter, Rig, debtor_lines, percentile, summary

from core.logging import configure_logging
from ivr.settings import AriSettings
from simulation.sandbox import ensure_running

PER_CALL = 7


async def main(turns: int, tts: str, levers: str) -> None:
    ari = AriSettings()
    state = ensure_running(ari=ari)
    lines = await debtor_lines("en")
    calls: list[CallStats] = []

    spent: dict[str, float] = {}

    async def body(rig: Rig) -> None:
        meter = CpuMeter(rig.bot_pid, state.pid)
        remaining = turns
        while remaining > 0:
            n = min(PER_CALL, remaining)
            calls.append(await rig.call([lines[i % len(lines)] for i in range(n)]))
            remaining -= n
        spent.update(meter.spent())

    started = time.monotonic()
    await Rig(ari, PER_CALL, tts, levers).run(body)
    v2v = [v for c in calls for v in c.voice_to_voice_ms]
    proc = [p for c in calls for p in c.processing_ms]
    asr = [a for c in calls for a in c.asr_ms]
    wall = time.monotonic() - started
    print(f"turn latency over {len(v2v)} turns in {len(calls)} calls ({tts}, whisper tiny.en, "
          f"levers: {levers or 'none'}), {wall:.0f} s")  # fmt: skip
    for name, values in (("voice_to_voice_ms", v2v), ("processing_ms", proc), ("asr_ms", asr)):
        print(f"  {name:18s} p50 {percentile(values, 50):6.0f}  p95 {percentile(values, 95):6.0f}"
              f"  max {max(values):6.0f}")  # fmt: skip
    for line in summary(calls, spent, wall):
        print(line)
    print(f"  outcomes: {[c.result.get('outcome') if c.result else None for c in calls]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=21)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    parser.add_argument("--levers", default="", help="comma-separated: cache, turn")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    asyncio.run(main(args.turns, args.tts, args.levers))
