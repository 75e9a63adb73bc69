"""The bot side of the IVR benchmarks, in its own process (as in production: the simulated
debtors must not share the bot's event loop and GIL).

    python bench/ivr_bot_worker.py --turns 3 --tts piper

Loads the models, answers calls arriving in the Stasis app ``collectbot-ivr-bench``, prints
``READY`` and then one JSON line per finished call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable

from ivr_bench_rig import IVR_APP, BenchConversation

from asr.whisper import WhisperRecognizer
from core.clock import SystemClock
from core.logging import configure_logging
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer


async def main(turns: int, tts: str) -> None:
    settings = AriSettings().model_copy(update={"app": IVR_APP})
    recognizer = WhisperRecognizer()
    synthesizer: Synthesizer = PiperSynthesizer() if tts == "piper" else EspeakSynthesizer()
    await recognizer.warm_up()
    await synthesizer.warm_up()
    ivr_settings = IvrSettings(no_input_s=10.0, max_call_s=300.0)

    async with AriClient(settings) as ari:

        def make(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=BenchConversation(turns),
                recognizer=recognizer, synthesizer=synthesizer, clock=SystemClock(),
                settings=ivr_settings, claim=claim,
            )  # fmt: skip

        async def report(result: CallResult) -> None:
            line = {
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--tts", choices=["piper", "espeak"], default="piper")
    args = parser.parse_args()
    configure_logging(level="WARNING", stream=sys.stderr)
    asyncio.run(main(args.turns, args.tts))
