"""FakeRecognizer: scripted transcripts for tests of the IVR without loading a model.

It honours the Recognizer contract: silence gives an empty transcript, audio with energy gives
the next scripted line (or ``default``), formats and languages are checked like a real engine.
A scripted line is heard exactly, so its confidence is ``confidence`` (1.0 unless set); a line
may carry its own as ``(text, confidence)``, None for an engine that reports none.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable

import numpy as np

from asr.audio import check_pcm, duration_ms
from asr.base import RecognitionOptions, RecognitionStream, Transcript
from asr.errors import UnsupportedLanguageError
from asr.stream import BufferedStream

_SPEECH_RMS = 300.0


class FakeRecognizer:
    """Returns scripted lines, one per utterance that is not silence."""

    def __init__(
        self,
        lines: Iterable[str | tuple[str, float | None]] = (),
        *,
        default: str = "",
        confidence: float | None = 1.0,
        languages: Iterable[str] = ("en", "zh", "ko"),
    ) -> None:
        self._confidence = confidence
        self._lines = collections.deque(self._scripted(line) for line in lines)
        self._default = default
        self._languages = frozenset(languages)
        self.heard: list[bytes] = []

    @property
    def languages(self) -> frozenset[str]:
        return self._languages

    def _scripted(self, line: str | tuple[str, float | None]) -> tuple[str, float | None]:
        return line if isinstance(line, tuple) else (line, self._confidence)

    def push(self, line: str, confidence: float | None = 1.0) -> None:
        """Script what the next non-silent utterance will be recognised as (and how surely)."""
        self._lines.append((line, confidence))

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        if options.language not in self._languages:
            raise UnsupportedLanguageError(f"fake recognizer has no {options.language!r}")
        check_pcm(pcm, sample_rate)
        self.heard.append(pcm)
        samples = np.frombuffer(pcm, "<i2").astype(np.float64)
        voiced = samples.size > 0 and float(np.sqrt(np.mean(samples**2))) >= _SPEECH_RMS
        text, confidence = "", None
        if voiced:
            text, confidence = (
                self._lines.popleft() if self._lines else (self._default, self._confidence)
            )
        return Transcript(
            text=text,
            language=options.language,
            final=True,
            audio_ms=duration_ms(pcm, sample_rate),
            words=tuple(text.split()),
            confidence=confidence if text else None,
        )

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        if options.language not in self._languages:
            raise UnsupportedLanguageError(f"fake recognizer has no {options.language!r}")
        return BufferedStream(self, sample_rate, options)

    async def warm_up(self) -> None:
        return None
