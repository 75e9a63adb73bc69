"""The bot side of the IVR benchmarks, in its own process (as in production: the simulated
debtors must not share the bot's event loop and GIL).

    python bench/ivr_bot_worker.py --turns 3 --tts piper [--levers cache,turn]

Loads the models, answers calls arriving in the Stasis app ``collectbot-ivr-bench``, prints
``READY`` and then one JSON line per finished call. ``--levers`` switches in the issue-13
levers (``bench/fast_session.py``). A sampler measures how late the event loop wakes up
(a 20 ms sleep's overshoot: what an RTP frame waits when ASR/TTS threads hold the GIL); each
call's line carries the lag percentiles since the previous line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fast_session import FastSession
from ivr_bench_rig import IVR_APP, BenchConversation, percentile

from asr.whisper import WhisperRecognizer
from core.clock import SystemClock
from core.dialogue import Lang, Parse
from core.logging import configure_logging
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.early_turn import TurnStats
from ivr.router import IvrApp
from ivr.settings import AriSettings, IvrSettings
from nlu.parser import default_parser
from nlu.policy import load_script
from tts.base import Synthesizer
from tts.cache import PromptCache
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer
from tts.prompt_speech import PromptSpeaker, script_version

LAG_TICK_S = 0.02


async def _sample_lag(samples: list[float]) -> None:
    while True:
        started = time.perf_counter()
        await asyncio.sleep(LAG_TICK_S)
        samples.append((time.perf_counter() - started - LAG_TICK_S) * 1000)


async def main(turns: int, tts: str, levers: frozenset[str], cache_dir: Path) -> None:
    settings = AriSettings().model_copy(update={"app": IVR_APP})
    recognizer = WhisperRecognizer()
    synthesizer: Synthesizer = PiperSynthesizer() if tts == "piper" else EspeakSynthesizer()
    await recognizer.warm_up()
    await synthesizer.warm_up()
    ivr_settings = IvrSettings(no_input_s=10.0, max_call_s=300.0)
    speaker = None
    if "cache" in levers:
        prompts = dict(load_script("en").prompts)
        speaker = PromptSpeaker(
            synthesizer, PromptCache(synthesizer, cache_dir), script_version(prompts)
        )
    parser = default_parser()
    parser.parse("warm up", "en", SystemClock().now().date())

    def understand(text: str, lang: Lang) -> Parse:
        return parser.parse(text, lang, SystemClock().now().date())

    meaning = understand if "turn" in levers else None
    lag: list[float] = []
    lag_task = asyncio.create_task(_sample_lag(lag))

    async with AriClient(settings) as ari:

        def make(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> FastSession:
            stats = calls[channel.id] = TurnStats()
            return FastSession(
                speaker=speaker, understand=meaning, turn_stats=stats,
                ari=ari, channel_id=channel.id, conversation=BenchConversation(turns),
                recognizer=recognizer, synthesizer=synthesizer, clock=SystemClock(),
                settings=ivr_settings, claim=claim,
            )  # fmt: skip

        calls: dict[str, TurnStats] = {}

        async def report(result: CallResult) -> None:
            window, lag[:] = list(lag), []
            stats = calls.pop(result.channel_id, TurnStats())
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
                "recording": result.recording,
            }
            print(json.dumps(line), flush=True)

        app = IvrApp(settings, ari, make, report)
        task = asyncio.create_task(app.run())
        await asyncio.wait_for(app.ready.wait(), 10)
        print("READY", flush=True)
        await task
    lag_task.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    parser.add_argument("--levers", default="", help="comma-separated: cache, turn")
    args = parser.parse_args()
    configure_logging(level="WARNING", stream=sys.stderr)
    chosen = frozenset(filter(None, args.levers.split(",")))
    with tempfile.TemporaryDirectory(prefix="bench-prompts-") as tmp:
        asyncio.run(main(args.turns, args.tts, chosen, Path(tmp)))
