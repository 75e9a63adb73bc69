"""What the second opinion (``asr/second_opinion.py``) costs a gated English turn.

    .venv/bin/python bench/second_opinion_cost.py [--turns 40]

Piper lines of the spoken corpus (verification answers and number-bearing promises) through the
telephone line, each recognised three ways through the product's recogniser stack, one turn at
a time as a call hears it: the first decode alone (tiny.en, as before), the verification answer
(``stage="verify"``: both decodes start together when the turn ends), and a number-bearing turn
after a promise question (gated by its hearing: the second decode after the first). Printed: wall
ms from the end of the turn to the transcript (p50 / p95) and process CPU-s per turn. Run at
normal priority (a latency figure); the machine's load is printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from asr.base import RecognitionOptions, Recognizer
from asr.second_opinion import product_recognizer
from asr.settings import AsrSettings
from core.logging import configure_logging
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import default_path, load_corpus
from simulation.spoken.render import SYNTH_RATE, tts_settings
from simulation.spoken.voices import Voice, available_synthesizers


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _measure(
    recognizer: Recognizer, audio: list[bytes], rate: int, options: RecognitionOptions
) -> tuple[list[float], float]:
    walls: list[float] = []
    cpu = time.process_time()
    for pcm in audio:
        started = time.perf_counter()
        await recognizer.transcribe(pcm, rate, options)
        walls.append((time.perf_counter() - started) * 1000)
    return walls, (time.process_time() - cpu) / len(audio)


async def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--turns", type=int, default=40)
    opts = args.parse_args()
    configure_logging(level="WARNING")
    corpus = load_corpus(default_path("en"))
    verify = [u.text for u in corpus.utterances if u.intent in ("affirm", "ask_identity", "deny")]
    numbers = [u.text for u in corpus.utterances if u.amount is not None or u.date is not None]
    engines, _ = available_synthesizers(tts_settings())
    voice = Voice("piper", "en", 1.0)
    line = TelephoneChannel(ChannelParams())
    rendered: dict[str, list[bytes]] = {}
    rate = 8000
    for label, texts in (("verify", verify), ("numbers", numbers)):
        rendered[label] = []
        for index, text in enumerate(texts[: opts.turns]):
            pcm = await engines["piper"].synthesize(text, "en", SYNTH_RATE, voice.params())
            heard = line.transmit(pcm, SYNTH_RATE, index)
            rendered[label].append(heard.pcm)
            rate = heard.rate
    settings = AsrSettings()
    off = settings.model_copy(update={"second_languages": frozenset()})
    product, before = product_recognizer(settings), product_recognizer(off)
    await product.warm_up()
    await before.warm_up()
    for r in (product, before):  # the first decode of each model is slower: warm both
        await r.transcribe(rendered["verify"][0], rate, RecognitionOptions.of("en", stage="verify"))
    rows = [
        ("first decode alone (verify answers)", before, "verify", "verify"),
        ("second opinion, verify (concurrent)", product, "verify", "verify"),
        ("first decode alone (number turns)", before, "numbers", "promise"),
        ("second opinion, numbers (after first)", product, "numbers", "promise"),
    ]
    print(f"load average {os.getloadavg()[0]:.1f}; {opts.turns} turns per row; Piper, G.711 line")
    for label, recognizer, key, stage in rows:
        options = RecognitionOptions.of("en", stage=stage)
        walls, cpu = await _measure(recognizer, rendered[key], rate, options)
        print(
            f"{label:<40} wall p50 {statistics.median(walls):6.0f} ms  p95 {_p(walls, 0.95):6.0f}"
            f" ms  CPU {cpu:.3f} s/turn"
        )


if __name__ == "__main__":
    asyncio.run(main())
