"""What a Whisper tiny.en turn costs, and two levers that did not cut it (issue 13).

    nice -n 10 .venv/bin/python bench/whisper_cost_bench.py [--window 5,4,3] [--batch 8]

``--window``: the encoder window fitted to each turn (its length + 1 s, at least N seconds)
against today's fixed 10 s window, on every English line the benches and scenarios use (Piper
and espeak-ng, telephone line): CPU-ms per utterance and word error rate. ``--batch``: N turns
decoded by one CTranslate2 ``generate`` against one by one: CPU-ms per turn and the wall time
each turn waits. CPU-seconds are the figures to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from pathlib import Path

import ctranslate2
import numpy as np
import yaml
from ivr_bench_rig import LINES
from speech_bench import SENTENCES, _words

from asr.audio import pcm_to_float_at, telephone_line
from asr.base import RecognitionOptions
from asr.prompt_check import edit_distance
from asr.settings import AsrSettings
from asr.whisper import WHISPER_RATE, WhisperRecognizer, log_mel
from core.logging import configure_logging
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer

RATE = 8000


def _texts() -> list[str]:
    texts = [*SENTENCES, *LINES]
    for path in sorted(Path("simulation/scenarios").glob("*_en.yml")):
        for line in yaml.safe_load(path.read_text()).get("debtor") or []:
            if isinstance(line, str) and not line.startswith("<"):
                texts.append(line)
    return list(dict.fromkeys(texts))


def _recognizer(window_s: int) -> WhisperRecognizer:
    """A recogniser whose short-turn window is ``window_s`` (below the setting's bound of 10)."""
    values = {**AsrSettings().model_dump(), "whisper_window_s": window_s}
    return WhisperRecognizer(AsrSettings.model_construct(**values))


def bench_window(audio: list[tuple[str, bytes]], minimums: list[int]) -> None:
    options = RecognitionOptions.of("en")
    fixed = _recognizer(10)
    fixed.transcribe_sync(audio[0][1], RATE, options)  # load + warm
    for minimum in [0, *minimums]:
        errors = words = 0
        started = time.process_time()
        for text, pcm in audio:
            seconds = len(pcm) / 2 / RATE
            window = 10 if minimum == 0 else max(minimum, min(10, math.ceil(seconds + 1)))
            recognizer = fixed if window == 10 else _recognizer(window)
            got = recognizer.transcribe_sync(pcm, RATE, options).text
            errors, words = (
                errors + edit_distance(_words(text), _words(got)),
                words + len(_words(text)),
            )
        cpu_ms = (time.process_time() - started) * 1000 / len(audio)
        label = "fixed 10 s" if minimum == 0 else f"fitted, at least {minimum} s"
        print(f"  window {label:<22} {cpu_ms:5.0f} CPU-ms per utterance, WER "
              f"{100 * errors / max(words, 1):5.1f} %", flush=True)  # fmt: skip


def bench_batch(audio: list[tuple[str, bytes]], size: int, repeats: int = 3) -> None:
    recognizer = WhisperRecognizer()
    loaded = recognizer._model_for("en")
    prompt = recognizer._prompt_tokens(loaded, RecognitionOptions.of("en"))
    mels = [
        log_mel(loaded.features, pcm_to_float_at(pcm, RATE, WHISPER_RATE), 10)
        for _, pcm in audio[:size]
    ]

    def generate(batch: list[np.ndarray]) -> None:
        loaded.model.generate(
            ctranslate2.StorageView.from_array(np.stack(batch)), [prompt] * len(batch),
            beam_size=1, max_length=len(prompt) + 40, suppress_blank=True, suppress_tokens=[-1],
            return_scores=True, return_no_speech_prob=True,
        )  # fmt: skip

    generate(mels)  # warm
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        for mel in mels:
            generate([mel])
        c1, w1 = time.process_time(), time.perf_counter()
        generate(mels)
        c2, w2 = time.process_time(), time.perf_counter()
        n = len(mels)
        print(f"  one by one {1000 * (c1 - c0) / n:4.0f} CPU-ms per turn, "
              f"{1000 * (w1 - w0) / n:5.0f} ms wall each; batch of {n} "
              f"{1000 * (c2 - c1) / n:4.0f} CPU-ms per turn, every turn waits "
              f"{1000 * (w2 - w1):5.0f} ms", flush=True)  # fmt: skip


async def main(minimums: list[int], batch: int) -> None:
    audio: list[tuple[str, bytes]] = []
    texts = _texts()
    for synth in (PiperSynthesizer(), EspeakSynthesizer()):
        for text in texts:
            audio.append((text, telephone_line(await synth.synthesize(text, "en", RATE), RATE)))
    mean_s = sum(len(pcm) for _, pcm in audio) / 2 / RATE / len(audio)
    print(f"whisper tiny.en cost: {len(audio)} utterances, {mean_s:.1f} s mean")
    if minimums:
        bench_window(audio, minimums)
    if batch:
        bench_batch(audio, batch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", default="5,4,3", help="fitted windows' minimums (s); ''")
    parser.add_argument("--batch", type=int, default=8, help="turns per batch (0: skip)")
    args = parser.parse_args()
    configure_logging(level="WARNING")
    asyncio.run(main([int(x) for x in args.window.split(",") if x], args.batch))
