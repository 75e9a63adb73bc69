"""The vocabulary of speech recognition: :class:`Transcript`, :class:`Recognizer`, streams.

A recognizer turns one utterance of 16-bit mono PCM (any supported rate; telephone audio is
8 kHz) into text. ``transcribe`` takes a whole utterance (the VAD endpointer decides where it
ends); ``start_stream`` returns a :class:`RecognitionStream` that takes audio chunk by chunk,
returns partial results while the caller speaks (engines that cannot give partials return
``None``) and a final transcript on ``finish``. All CPU work runs off the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Transcript:
    """What was recognised in one utterance (``final``) or so far (a partial)."""

    text: str
    language: str
    final: bool
    audio_ms: int
    words: tuple[str, ...] = field(default=())
    # the engine's own belief that ``text`` is what was said, 0..1; None: the engine gave none
    confidence: float | None = None
    signals: RecognitionSignals | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class RecognitionSignals:
    """The raw per-utterance scores an engine reports (for logs and calibration).

    Whisper: ``avg_logprob`` (mean token log-probability), ``no_speech_prob`` (the model's belief
    that there was no speech) and ``compression_ratio`` (how repetitive the text is; loops score
    above 2.4), the worst over the utterance's pieces. Vosk: ``word_confidence`` (the lowest
    word confidence). A field the engine does not report is None.
    """

    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    word_confidence: float | None = None
    # a second decode of the same audio (asr.second_opinion): how far the two hearings agree
    # (1.0 the same words) and the second one's own confidence; None: no second decode
    agreement: float | None = None
    second_confidence: float | None = None
    # Whisper: the mean log-probability of the words' own tokens, without the closing
    # punctuation and the end of text (``asr.whisper.content_logprob``); None: not computed
    content_logprob: float | None = None


@dataclass(frozen=True, slots=True)
class RecognitionOptions:
    """Per-utterance hints: a domain prompt (Whisper ``initial_prompt``), hotwords, and the
    dialogue ``stage`` the caller is answering (``asr.hints.Stage``: "verify" after "is this
    {name}?"; None: unknown), which decides where a second decode is worth its CPU
    (``asr.second_opinion``)."""

    language: str
    prompt: str | None = None
    hotwords: tuple[str, ...] = ()
    stage: str | None = None

    @classmethod
    def of(
        cls,
        language: str,
        prompt: str | None = None,
        hotwords: Sequence[str] = (),
        stage: str | None = None,
    ) -> RecognitionOptions:
        return cls(language=language, prompt=prompt, hotwords=tuple(hotwords), stage=stage)


@runtime_checkable
class RecognitionStream(Protocol):
    """One utterance fed incrementally; not shared between tasks."""

    async def feed(self, pcm: bytes) -> Transcript | None:
        """Add audio; return a partial result when the engine has a new one."""
        ...

    async def finish(self) -> Transcript:
        """End of the utterance: the final transcript. The stream cannot be fed again."""
        ...

    async def aclose(self) -> None:
        """Drop the stream without a result (hang-up, barge-in); safe to call twice."""
        ...


@runtime_checkable
class Recognizer(Protocol):
    """A speech recognizer; the model is loaded once per process and shared by all calls."""

    @property
    def languages(self) -> frozenset[str]:
        """ISO 639-1 codes this recognizer can transcribe."""
        ...

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        """The final transcript of one complete utterance."""
        ...

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        """A stream for one utterance; feed it chunks as they arrive."""
        ...

    async def warm_up(self) -> None:
        """Load the model(s) now instead of on the first call's first turn."""
        ...
