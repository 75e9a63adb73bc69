"""FakeSynthesizer: fast, deterministic "speech" for IVR tests without loading a voice.

Each clause becomes a voiced buzz (a 140 Hz harmonic tone with a syllable-rate envelope) whose
length follows the text length and the speaking rate, so VAD, pacing, barge-in and prompt
caching behave as with a real voice. Normalisation and clause splitting are the real ones.
"""

from __future__ import annotations

import numpy as np

from tts.audio import FloatArray
from tts.base import VoiceParams
from tts.streaming import ClauseSynthesizer

_NATIVE_RATE = 16000
_SECONDS_PER_CHAR = 0.065


class FakeSynthesizer(ClauseSynthesizer):
    name = "fake"

    def __init__(self, languages: frozenset[str] = frozenset({"en", "zh", "ko"})) -> None:
        self._languages = languages
        self.rendered: list[str] = []

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        p = params or VoiceParams()
        return f"fake:{p.voice or language}:p{p.pitch if p.pitch is not None else 50}"

    def _default_params(self) -> VoiceParams:
        return VoiceParams()

    async def _render(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        self.rendered.append(clause)
        per_char = _SECONDS_PER_CHAR * (3 if language == "zh" else 1)
        seconds = max(0.3, len(clause) * per_char / params.rate)
        t = np.arange(int(seconds * _NATIVE_RATE), dtype=np.float32) / _NATIVE_RATE
        f0 = 140.0 * (1 + ((params.pitch or 50) - 50) / 100)
        tone = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6))
        envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4.0 * t)
        audio: FloatArray = (0.3 * tone * envelope).astype(np.float32)
        return audio, _NATIVE_RATE
