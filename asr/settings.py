"""ASR configuration, read from ``ASR_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Whisper's previous-text context: a collection dialogue, amounts spelled out ("$50" in the
# prompt made tiny.en emit "$ $ $" for spoken amounts). Measured on 30 TTS turns at telephone
# quality, words missed: Piper 2.8 % -> 0.9 %, espeak 31.8 % -> ~26 %. "Stop calling me" is
# in it on purpose: without it tiny.en once heard "please stop calling me" as "please START".
DEFAULT_PROMPT_EN = (
    "Hello, this is about your overdue loan payment. Yes, I can pay fifty dollars next week. "
    "No, I paid it already. It's a wrong number. Stop calling me."
)
DEFAULT_PROMPT_ZH = (
    "关于逾期贷款的还款电话：欠款、还款、分期、下周五、月底、元、已经还了、打错了、不要再打了。"
)


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "collectbot"


class AsrSettings(BaseSettings):
    """Models, decoding and endpointing parameters for every recognizer."""

    model_config = SettingsConfigDict(env_prefix="ASR_", extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache_dir)
    whisper_en_model_dir: Path | None = None
    whisper_zh_model_dir: Path | None = None
    whisper_window_s: int = Field(default=10, ge=10, le=30)
    whisper_long_threshold_s: float = Field(default=9.0, gt=0, le=30)
    whisper_inter_threads: int = Field(default=2, ge=1, le=64)
    whisper_intra_threads: int = Field(default=1, ge=1, le=64)
    whisper_beam_size: int = Field(default=1, ge=1, le=10)
    whisper_zh_beam_size: int = Field(default=5, ge=1, le=10)
    whisper_zh_compute_type: Literal["int8", "float32"] = "int8"
    # per-stage prompts (asr.hints) after the domain prompt
    stage_hints: bool = True
    # A decode is dropped as non-speech when Whisper's no-speech probability is above the
    # threshold and its mean token log-probability below ``whisper_logprob_threshold``, or when
    # the log-probability alone is below ``whisper_min_logprob``. Measured on synthetic speech
    # vs. line noise: speech has no-speech <= 0.01 and logprob >= -0.75; noise >= 0.55 and
    # <= -1.5 (and its "transcripts" echo the prompt: "I can't pay two hundred dollars").
    whisper_no_speech_threshold: float = Field(default=0.4, ge=0, le=1)
    whisper_logprob_threshold: float = Field(default=-1.0, le=0)
    whisper_min_logprob: float = Field(default=-2.0, le=0)
    whisper_compression_ratio_threshold: float = Field(default=2.4, gt=1)
    # the confidence of these languages' decodes is the probability of the words' own tokens
    # (asr.whisper.content_logprob: the closing mark and the end of text left out; one forced
    # decoder pass, ~+60 ms per decode on a loaded machine). Measured for Mandarin and NOT on by
    # default (docs/nlu.md, "Session 13, zh10"): a short yes is unsure in its own syllable
    # (对 on the sandbox line: -2.19 for 对, the "。" and end sure), not in its punctuation
    whisper_content_confidence_languages: frozenset[str] = frozenset()
    # Whisper decodes only audio in which Silero VAD finds this much speech (0: always decode):
    # on noise it echoes its prompt, and a per-stage prompt would make the echo an answer
    whisper_min_speech_ms: int = Field(default=150, ge=0)
    # ... for these languages only. Mandarin carries per-stage prompts (the echo risk the gate
    # answers); on English telephone audio Silero at 0.3 drops real short answers ("Who is
    # this?", "Yeah, that's me." measured 0 ms of speech after the G.711 line), so English keeps
    # the no-speech/log-probability rule above and decodes every utterance.
    whisper_speech_gate_languages: frozenset[str] = frozenset({"zh"})
    whisper_limit_blas_threads: bool = True
    # a second decode of the same audio (asr.second_opinion): for these languages, on the
    # answers to these stages' questions, and on turns heard under ``second_below`` or that
    # carry a number; two hearings agree at ``second_agree`` (docs/nlu.md, "A second opinion")
    second_languages: frozenset[str] = frozenset({"en"})
    second_stages: frozenset[str] = frozenset({"verify", "second_factor", "id_last4"})
    second_below: float = Field(default=0.6, ge=0, le=1)
    second_numbers: bool = True
    second_agree: float = Field(default=0.8, ge=0, le=1)
    # agreement raises no first hearing under this (tiny.en and base both heard "Hmm." as
    # "Yeah.", at 0.25 and 0.39: two witnesses of the same hum)
    second_raise_from: float = Field(default=0.35, ge=0, le=1)
    # ... unless the second decode, hearing the same words, is this sure on its own: its
    # confidence then stands (None: never). Measured at the identity question (docs/nlu.md,
    # "Session 10, asr6"): English first-answer yeses +3 of 80 (asr6), +2 of 72 (asr3 held out),
    # +0 of 150 (calibration), no stranger verified; the hum above (base 0.39) stays 0.25
    second_alone_from: float | None = Field(default=0.6, ge=0, le=1)
    # on disagreement: the first decode's words ("first") or the surer decode's ("surer"); the
    # answers to "is this {name}?" and "shall I record ...?" always keep the first's words
    # (measured on Piper number turns: surer amounts 106 -> 107/114, dates 149 -> 151/153)
    second_text: Literal["first", "surer"] = "surer"
    # Mandarin: the prompt check's neutral decode (asr.prompt_check) as the second opinion
    second_neutral: bool = True
    prompt_en: str = DEFAULT_PROMPT_EN
    prompt_zh: str = DEFAULT_PROMPT_ZH
    vosk_model_dirs: dict[str, Path] = Field(default_factory=dict)
    vosk_workers: int = Field(default=2, ge=1, le=64)
    vad_mode: int = Field(default=2, ge=0, le=3)
    vad_frame_ms: int = 20
    vad_start_ms: int = Field(default=60, ge=10)
    vad_end_silence_ms: int = Field(default=600, ge=60)
    vad_preroll_ms: int = Field(default=200, ge=0)
    vad_pause_ms: int = Field(default=200, ge=20)

    def default_prompt(self, language: str) -> str | None:
        return {"en": self.prompt_en, "zh": self.prompt_zh}.get(language)
