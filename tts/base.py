"""The vocabulary of speech synthesis: :class:`Synthesizer`, :class:`VoiceParams`, chunks.

A synthesizer turns text in a language into 16-bit mono PCM at the sample rate the call needs
(8000 Hz for RTP slin, 16000 for AudioSocket slin16). ``stream`` yields one chunk per clause,
so the first audio is ready before the whole reply is synthesised; ``synthesize`` joins them.
Text is normalised per language (``tts.normalize``) by the synthesizer itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class VoiceParams:
    """A script's "tone and speed": voice name, speaking rate (1.0 = normal) and pitch.

    ``voice`` is engine-specific (a Piper .onnx path, an espeak-ng voice name); ``None`` picks
    the engine's default for the language. ``pitch`` is 0-99 (espeak-ng scale, 50 = normal);
    engines that cannot change pitch ignore it.
    """

    voice: str | None = None
    rate: float = 1.0
    pitch: int | None = None

    def __post_init__(self) -> None:
        if not 0.25 <= self.rate <= 4.0:
            raise ValueError(f"speaking rate {self.rate} is outside 0.25..4.0")
        if self.pitch is not None and not 0 <= self.pitch <= 99:
            raise ValueError(f"pitch {self.pitch} is outside 0..99")


@dataclass(frozen=True, slots=True)
class SpeechChunk:
    """Audio for one clause: 16-bit little-endian mono PCM at ``sample_rate``."""

    pcm: bytes
    sample_rate: int
    text: str
    index: int

    @property
    def duration_ms(self) -> int:
        return (len(self.pcm) // 2) * 1000 // self.sample_rate


@runtime_checkable
class Synthesizer(Protocol):
    """A speech synthesizer; its voice models load once per process."""

    @property
    def name(self) -> str:
        """Engine name, part of cache keys ("piper", "espeak")."""
        ...

    @property
    def languages(self) -> frozenset[str]: ...

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        """A stable identity of the voice that would speak ``language`` (for cache keys)."""
        ...

    def stream(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> AsyncIterator[SpeechChunk]:
        """One chunk per clause, in order; the first is ready after the first clause."""
        ...

    async def synthesize(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> bytes:
        """The whole text as one PCM buffer."""
        ...

    async def warm_up(self) -> None:
        """Load the voice models now, not on the first call's first prompt."""
        ...
