"""Shared streaming logic: normalise, split into clauses, render each, resample, yield."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator

from tts.audio import FloatArray, check_rate, to_pcm
from tts.base import SpeechChunk, VoiceParams
from tts.errors import UnsupportedLanguageError
from tts.normalize import normalize, split_clauses


class ClauseSynthesizer(abc.ABC):
    """Base of the engines: subclasses render one clause of normalised text."""

    name: str

    @property
    @abc.abstractmethod
    def languages(self) -> frozenset[str]: ...

    @abc.abstractmethod
    def voice_id(self, language: str, params: VoiceParams | None = None) -> str: ...

    @abc.abstractmethod
    async def _render(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        """Audio in [-1, 1] and its native rate for one clause of normalised text."""

    @abc.abstractmethod
    def _default_params(self) -> VoiceParams: ...

    def _check(self, language: str, sample_rate: int) -> None:
        check_rate(sample_rate)
        if language not in self.languages:
            raise UnsupportedLanguageError(f"{self.name} has no voice for {language!r}")

    async def stream(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> AsyncIterator[SpeechChunk]:
        self._check(language, sample_rate)
        voice = params or self._default_params()
        clauses = split_clauses(normalize(text, language), language)
        for index, clause in enumerate(clauses):
            audio, rate = await self._render(clause, language, voice)
            yield SpeechChunk(to_pcm(audio, rate, sample_rate), sample_rate, clause, index)

    async def synthesize(
        self, text: str, language: str, sample_rate: int, params: VoiceParams | None = None
    ) -> bytes:
        return b"".join(
            [chunk.pcm async for chunk in self.stream(text, language, sample_rate, params)]
        )

    async def warm_up(self) -> None:
        for language in sorted(self.languages):
            await self._render("ok", language, self._default_params())
