"""Voice-to-voice and processing latency per turn, one call at a time, through the sandbox.

    .venv/bin/python bench/turn_latency.py [--turns 21] [--tts piper|espeak]

Starts the sandbox Asterisk if needed (root), uses Whisper (tiny.en) and Piper/espeak-ng.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from ivr_bench_rig import LINES, CallStats, Rig, percentile

from asr.whisper import WhisperRecognizer
from core.logging import configure_logging
from ivr.sandbox import ensure_running
from ivr.settings import AriSettings
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer


async def main(turns: int, tts: str) -> None:
    ari = AriSettings()
    ensure_running(ari=ari)
    recognizer = WhisperRecognizer()
    synthesizer: Synthesizer = PiperSynthesizer() if tts == "piper" else EspeakSynthesizer()
    await recognizer.warm_up()
    await synthesizer.warm_up()
    lines = [await EspeakSynthesizer().synthesize(t, "en", 8000) for t in LINES]
    per_call = 7
    calls: list[CallStats] = []

    async def body(rig: Rig) -> None:
        remaining = turns
        while remaining > 0:
            n = min(per_call, remaining)
            calls.append(await rig.call([lines[i % len(lines)] for i in range(n)]))
            remaining -= n

    started = time.monotonic()
    await Rig(ari, recognizer, synthesizer, per_call).run(body)
    v2v = [v for c in calls for v in c.voice_to_voice_ms]
    proc = [p for c in calls for p in c.processing_ms]
    asr = [t.asr_ms for c in calls if c.result for t in c.result.timings]
    print(f"turn latency over {len(v2v)} turns in {len(calls)} calls ({tts}, whisper tiny.en), "
          f"{time.monotonic() - started:.0f} s")  # fmt: skip
    for name, values in (("voice_to_voice_ms", v2v), ("processing_ms", proc), ("asr_ms", asr)):
        print(f"  {name:18s} p50 {percentile(values, 50):6.0f}  p95 {percentile(values, 95):6.0f}"
              f"  max {max(values):6.0f}")  # fmt: skip
    outcomes = [str(c.result.outcome) if c.result else "none" for c in calls]
    print(f"  outcomes: {outcomes}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=21)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    asyncio.run(main(args.turns, args.tts))
