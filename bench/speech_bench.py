"""Speech benchmark: ASR cost per caller turn, TTS time to first audio, VAD cost, memory.

Caller turns are Piper sentences degraded to telephone quality (300-3400 Hz band, 8 kHz,
8-bit mu-law round trip), as the IVR receives them from RTP slin. Prints one table; run with
``.venv/bin/python bench/speech_bench.py [--turns N]``. Figures depend on machine load: CPU-s
are the reliable ones.

``--lang zh``: the Mandarin round trip ``speech say --lang zh`` -> ``speech transcribe --lang
zh`` on every sentence of the Mandarin script (CER raw and normalised, CPU-s per utterance;
``bench/zh_round_trip.py``), ``--levers`` adds each TTS and ASR setting tried against it.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import time

from asr.audio import telephone_line
from asr.base import RecognitionOptions
from asr.early import EarlyTranscriber
from asr.vad import Endpointer, FrameClassifier, SpeechEnded
from asr.vosk import VoskRecognizer
from asr.whisper import WhisperRecognizer
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.normalize import normalize_en
from tts.piper import PiperSynthesizer

RATE = 8000
SENTENCES = [
    "I can pay two hundred dollars on Friday.",
    "I already paid last week.",
    "Please stop calling me at work.",
    "You have the wrong number.",
    "Can we set up a payment plan?",
    "I lost my job and I cannot pay right now.",
    "Call me back tomorrow after five.",
    "How much do I owe exactly?",
    "I will send fifty dollars on the fifteenth.",
    "I want to talk to a person.",
]
REPLY = "Thank you. So that is two hundred dollars on Friday, December fifth. Is that right?"


def _telephone(pcm: bytes) -> bytes:
    """Band-limit to 300-3400 Hz and round-trip through 8-bit mu-law."""
    return telephone_line(pcm, RATE)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _row(name: str, values: list[float], unit: str) -> None:
    print(f"{name:<44} p50 {_pct(values, 50):8.1f} {unit:<5} p95 {_pct(values, 95):8.1f} {unit}")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def bench_asr(
    turns: list[bytes], label: str, recognizer: WhisperRecognizer | VoskRecognizer, language: str
) -> None:
    options = RecognitionOptions.of(language)
    await recognizer.transcribe(turns[0], RATE, options)  # warm
    cpu: list[float] = []
    wall: list[float] = []
    for pcm in turns:
        c0, w0 = time.process_time(), time.perf_counter()
        await recognizer.transcribe(pcm, RATE, options)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    _row(f"{label} CPU per turn", cpu, "ms")
    _row(f"{label} wall per turn", wall, "ms")


async def bench_asr_concurrent(turns: list[bytes], whisper: WhisperRecognizer, calls: int) -> None:
    """``calls`` callers finishing a turn at the same instant: wall time until each transcript."""
    options = RecognitionOptions.of("en")

    async def one(pcm: bytes) -> float:
        start = time.perf_counter()
        await whisper.transcribe(pcm, RATE, options)
        return (time.perf_counter() - start) * 1000

    c0, w0 = time.process_time(), time.perf_counter()
    figures = await asyncio.gather(*(one(turns[i % len(turns)]) for i in range(calls)))
    rate = calls / (time.perf_counter() - w0)
    cpu = (time.process_time() - c0) * 1000 / calls
    _row(f"whisper, {calls} turns at once: wall", list(figures), "ms")
    print(f"{'':<44} {rate:8.1f} turns/s, {cpu:.0f} CPU-ms per turn")


def _words(text: str) -> list[str]:
    """Compare spoken forms: "$200" and "two hundred dollars" are the same words."""
    spoken = normalize_en(text).lower().replace("-", " ")
    return re.sub(r"[^a-z' ]", " ", spoken).split()


async def bench_whisper_accuracy(turns: list[bytes], whisper: WhisperRecognizer) -> None:
    errors = words = 0
    for text, pcm in zip(SENTENCES, turns, strict=False):
        got = (await whisper.transcribe(pcm, RATE, RecognitionOptions.of("en"))).text
        ref, hyp = _words(text), set(_words(got))
        words += len(ref)
        errors += sum(w not in hyp for w in ref)
    print(f"{'whisper tiny.en reference words missed':<44} {100 * errors / max(words, 1):8.1f} %")


async def bench_tts(synth: Synthesizer, runs: int) -> None:
    await synth.warm_up()
    first: list[float] = []
    total: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        got_first = None
        async for _chunk in synth.stream(REPLY, "en", RATE):
            got_first = got_first or time.perf_counter() - start
        first.append((got_first or 0) * 1000)
        total.append((time.perf_counter() - start) * 1000)
    _row(f"{synth.name} time to first audio", first, "ms")
    _row(f"{synth.name} whole reply ({len(REPLY)} chars)", total, "ms")


async def _paced_turn(whisper: WhisperRecognizer, pcm: bytes, early_decode: bool) -> float:
    """Feed one turn in real time (20 ms frames); ms from the end of the clip to transcript."""
    speech_end: float | None = None
    audio = bytes(RATE // 5 * 2) + pcm + bytes(RATE * 2)
    voiced_end_ms = (len(bytes(RATE // 5 * 2)) + len(pcm)) * 1000 // (2 * RATE)
    async with asyncio.TaskGroup() as tg:
        early = EarlyTranscriber(whisper, RATE, RecognitionOptions.of("en"), tg)
        endpointer = Endpointer(RATE, on_pause=early.on_pause if early_decode else None)
        start = time.perf_counter()
        for i in range(0, len(audio), 320):
            frame_due = start + i / (2 * RATE)
            await asyncio.sleep(max(0.0, frame_due - time.perf_counter()))
            if speech_end is None and i * 1000 // (2 * RATE) >= voiced_end_ms:
                speech_end = time.perf_counter()
            for event in endpointer.feed(audio[i : i + 320]):
                if isinstance(event, SpeechEnded):
                    await early.transcribe(event)
                    return (time.perf_counter() - (speech_end or start)) * 1000
    raise RuntimeError("the endpointer never ended the turn")


async def bench_turn_end(turns: list[bytes], count: int) -> None:
    whisper = WhisperRecognizer()
    for early_decode in (False, True):
        figures = [await _paced_turn(whisper, pcm, early_decode) for pcm in turns[:count]]
        label = "decode at first pause" if early_decode else "decode after turn end"
        _row(f"end of speech -> transcript ({label})", figures, "ms")


def bench_vad(audio: bytes) -> None:
    clf = FrameClassifier(RATE, 20, 2)
    frames = [
        audio[i : i + clf.frame_bytes]
        for i in range(0, len(audio) - clf.frame_bytes, clf.frame_bytes)
    ]
    start = time.perf_counter()
    for frame in frames * 20:
        clf.is_speech(frame)
    per_frame = (time.perf_counter() - start) / (len(frames) * 20) * 1e6
    print(f"{'webrtcvad per 20 ms frame':<44} {per_frame:8.1f} us")


async def main(turn_count: int, tts_runs: int, paced: int) -> None:
    t0 = time.perf_counter()
    piper = PiperSynthesizer()
    clean = [await piper.synthesize(s, "en", RATE) for s in SENTENCES]
    turns = [_telephone(clean[i % len(clean)]) for i in range(turn_count)]
    print(
        f"prepared {len(turns)} telephone-quality turns in {time.perf_counter() - t0:.1f} s; "
        f"RSS after Piper {_rss_mb():.0f} MB"
    )
    whisper = WhisperRecognizer()
    await bench_asr(turns, "whisper tiny.en (10 s window)", whisper, "en")
    await bench_whisper_accuracy(turns[: len(SENTENCES)], whisper)
    for calls in (2, 10):
        await bench_asr_concurrent(turns, whisper, calls)
    await bench_turn_end(turns, paced)
    print(f"{'peak RSS after Whisper':<44} {_rss_mb():8.0f} MB")
    espeak = EspeakSynthesizer()
    ko = [_telephone(await espeak.synthesize("대출 상환에 대해 전화드렸습니다.", "ko", RATE))] * 3
    await bench_asr(ko, "vosk ko (2.2 s utterance)", VoskRecognizer(), "ko")
    print(f"{'peak RSS after Vosk':<44} {_rss_mb():8.0f} MB")
    await bench_tts(piper, tts_runs)
    await bench_tts(espeak, tts_runs)
    bench_vad(turns[0])
    print(f"{'peak RSS (all engines loaded)':<44} {_rss_mb():8.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--tts-runs", type=int, default=10)
    parser.add_argument("--paced-turns", type=int, default=10, help="real-time turns (~3 s each)")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--levers", action="store_true", help="zh: every lever against defaults")
    parser.add_argument("--limit", type=int, default=None, help="zh: first N script sentences")
    parser.add_argument("--lever", action="append", default=[], help="zh: levers naming this")
    args = parser.parse_args()
    if args.lang == "zh":
        import zh_round_trip  # bench/ is on sys.path as a script

        asyncio.run(zh_round_trip.run(args.levers or bool(args.lever), args.limit, args.lever))
    else:
        asyncio.run(main(args.turns, args.tts_runs, args.paced_turns))
