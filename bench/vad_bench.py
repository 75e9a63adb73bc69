"""Speech / noise decisions: webrtcvad (today's ``FrameClassifier``) against Silero VAD v6 (the
ONNX model inside faster-whisper, run by onnxruntime on one thread), issue 13.

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/vad_bench.py [--per-lang 30]

Utterances of the spoken corpus (bench/data/spoken_{en,zh}.yml) are rendered by the shipped
voices (Piper for English, espeak-ng for both) and sent through the simulated telephone line
of ``simulation.spoken.channel`` with 1 s of line noise before and after, at 20 and 10 dB SNR. Truth
per 20 ms frame: noise in the lead and tail, speech where the clean rendering is within 35 dB
of its loudest frame. Printed per detector and SNR: false starts (a run of ``vad_start_ms`` of
"speech" inside the noise: a barge-in or a turn that never was), the share of noise frames
called speech, the share of speech frames missed, and CPU-seconds per second of audio.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr
import yaml
from faster_whisper.vad import get_vad_model

from asr.settings import AsrSettings
from asr.vad import FrameClassifier
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer

RATE, FRAME_MS, PAD_MS = 8000, 20, 1000
DATA = Path(__file__).resolve().parent / "data"
Bools = npt.NDArray[np.bool_]


@dataclass
class Tally:
    """Counts (utterances, false_starts, noise, noise_as_speech, speech, speech_missed)."""

    counts: Counter[str] = field(default_factory=Counter)
    cpu_s: float = 0.0
    audio_s: float = 0.0

    def add(self, decided: Bools, truth_speech: Bools, noise: Bools, start_frames: int) -> None:
        c = self.counts
        c["utterances"] += 1
        c["noise"] += int(noise.sum())
        c["noise_as_speech"] += int((decided & noise).sum())
        c["speech"] += int(truth_speech.sum())
        c["speech_missed"] += int((~decided & truth_speech).sum())
        run = 0
        for is_noise, said in zip(noise, decided, strict=True):
            run = run + 1 if (is_noise and said) else 0
            c["false_starts"] += run == start_frames


def _texts(lang: str, n: int) -> list[str]:
    doc = yaml.safe_load((DATA / f"spoken_{lang}.yml").read_text(encoding="utf-8"))
    items = [i for group in doc["utterances"].values() for i in group]
    texts = [i if isinstance(i, str) else str(i["text"]) for i in items]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def _frames(pcm: bytes) -> list[bytes]:
    size = RATE * FRAME_MS // 1000 * 2
    return [pcm[i : i + size] for i in range(0, len(pcm) - size + 1, size)]


def _truth(clean: bytes, total_frames: int) -> tuple[Bools, Bools]:
    """(speech, noise) per frame of the line output (lead + clean + tail)."""
    lead = PAD_MS // FRAME_MS
    samples = np.frombuffer(clean, "<i2").astype(np.float64)
    size = RATE * FRAME_MS // 1000
    n = samples.size // size
    energy = np.array([np.mean(samples[i * size : (i + 1) * size] ** 2) + 1e-9 for i in range(n)])
    voiced = 10 * np.log10(energy) > 10 * np.log10(energy.max()) - 35
    speech = np.zeros(total_frames, dtype=bool)
    noise = np.zeros(total_frames, dtype=bool)
    speech[lead : lead + n] = voiced[: max(0, total_frames - lead)]
    noise[: lead - 5] = True  # 100 ms of margin around the utterance
    noise[lead + n + 15 :] = True  # and 300 ms after it (speech tails off)
    return speech, noise


def _webrtc(pcm: bytes, mode: int) -> Bools:
    clf = FrameClassifier(RATE, FRAME_MS, mode)
    return np.array([clf.is_speech(f) for f in _frames(pcm)], dtype=bool)


def _silero(pcm: bytes, threshold: float = 0.5) -> Bools:
    audio = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768.0
    wide = np.asarray(soxr.resample(audio, RATE, 16000), dtype=np.float32)
    window = 512
    wide = np.pad(wide, (0, -wide.size % window))
    probs = np.asarray(get_vad_model()(wide)).reshape(-1)
    frames = len(_frames(pcm))
    centre_s = (np.arange(frames) + 0.5) * FRAME_MS / 1000
    index = np.minimum((centre_s * 16000 // window).astype(int), probs.size - 1)
    return np.asarray(probs[index] > threshold, dtype=bool)


async def main(per_lang: int) -> None:
    start_frames = AsrSettings().vad_start_ms // FRAME_MS
    voices: list[tuple[str, Synthesizer]] = [("en", PiperSynthesizer())]
    voices += [("en", EspeakSynthesizer()), ("zh", EspeakSynthesizer())]
    get_vad_model()  # load once, outside the timings
    tallies: dict[tuple[str, float], Tally] = {}
    detectors: dict[str, Callable[[bytes], Bools]] = {
        "webrtcvad mode 2": lambda p: _webrtc(p, 2),
        "webrtcvad mode 3": lambda p: _webrtc(p, 3),
        "silero v6 (p>0.5)": _silero,
    }
    for snr in (20.0, 10.0):
        channel = TelephoneChannel(ChannelParams(snr_db=snr, lead_ms=PAD_MS, tail_ms=PAD_MS))
        for lang, synth in voices:
            for seed, text in enumerate(_texts(lang, per_lang)):
                clean = await synth.synthesize(text, lang, RATE)
                line = channel.transmit(clean, RATE, seed).pcm
                for name, detect in detectors.items():
                    cpu = time.process_time()
                    decided = detect(line)
                    tally = tallies.setdefault((name, snr), Tally())
                    tally.cpu_s += time.process_time() - cpu
                    tally.audio_s += len(line) / 2 / RATE
                    speech, noise = _truth(clean, decided.size)
                    tally.add(decided, speech, noise, start_frames)
    print(f"{sum(1 for _ in voices)} voices x {per_lang} utterances, line noise 1 s either side")
    print(
        "detector            SNR  false_starts/utt  noise_as_speech  speech_missed  CPU-s/audio-s"
    )
    for (name, snr), t in tallies.items():
        c = t.counts
        print(f"{name:18} {snr:4.0f} {c['false_starts'] / c['utterances']:17.2f} "
              f"{c['noise_as_speech'] / c['noise']:16.3f} "
              f"{c['speech_missed'] / c['speech']:14.3f} {t.cpu_s / t.audio_s:14.5f}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-lang", type=int, default=30)
    asyncio.run(main(parser.parse_args().per_lang))
