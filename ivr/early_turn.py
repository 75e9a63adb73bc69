"""MeaningEndpointer: the debtor's turn ends when the words say so, not only the silence.

A drop-in for ``asr.vad.Endpointer`` in the listener (``feed`` / ``flush`` / ``reset`` give
the same ``SpeechStarted`` / ``SpeechEnded`` events) plus ``transcribe(ended)``, which returns
the transcript of the turn without decoding it twice. At the first short pause
(``TurnEndPolicy.complete_ms``, 200 ms) the turn so far is decoded in the background and
read by the NLU; ``nlu.turn_end`` says how much silence that reading needs: a whole answer to
the question asked ends the turn at once (the decode finished after 200 ms of silence), an
unfinished sentence ("I can pay… uh") waits ``incomplete_ms`` (1,000 ms), anything else the
usual ``default_ms`` (600 ms). The turn never ends before its decode is ready (the transcript
is needed anyway), and never later than ``incomplete_ms`` of silence plus the decode.
If the debtor speaks again the early decode is dropped and the next pause decodes again.

Time is the audio fed (20 ms frames), as in the ``Endpointer``: deterministic in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from asr.base import RecognitionOptions, Recognizer, Transcript
from asr.errors import AsrError
from asr.hints import hint_for, stage_of
from asr.settings import AsrSettings
from asr.vad import Endpointer, FrameClassifier, SpeechEnded, SpeechPaused, VadEvent
from core.dialogue import Lang, Parse
from nlu.turn_end import (
    QuestionKind,
    TurnEndPolicy,
    needs_parse,
    question_kind,
    silence_needed_ms,
)


@dataclass(frozen=True, slots=True)
class Expectation:
    """The question the debtor is answering: its kind, language and recognition options."""

    kind: QuestionKind
    lang: Lang
    options: RecognitionOptions

    @classmethod
    def after(cls, prompt_key: str | None, lang: Lang) -> Expectation:
        """What the last prompt played (``Say.prompt_key``) asked for."""
        options = hint_for(stage_of(prompt_key), lang).options()
        return cls(question_kind(prompt_key), lang, options)


@dataclass(frozen=True, slots=True)
class _Reading:
    transcript: Transcript | AsrError
    needed_ms: int


@dataclass(slots=True)
class TurnStats:
    """What the turn ends were: counted for the benches (cut-offs are measured there)."""

    early_ends: int = 0  # ended before default_ms of silence: the words were a whole answer
    long_waits: int = 0  # the words were unfinished: waited up to incomplete_ms
    decodes: int = 0
    dropped: int = 0  # early decodes dropped because the debtor spoke again


class _TrackingClassifier(FrameClassifier):
    """The VAD, counting frames and remembering where the last voiced one ended."""

    def __init__(self, sample_rate: int, frame_ms: int, mode: int) -> None:
        super().__init__(sample_rate, frame_ms, mode)
        self.fed_ms = 0
        self.voiced_until_ms = 0

    def is_speech(self, frame: bytes) -> bool:
        voiced = super().is_speech(frame)
        self.fed_ms += self.frame_ms
        if voiced:
            self.voiced_until_ms = self.fed_ms
        return voiced


class MeaningEndpointer:
    """Turn ends from silence and meaning over a stream of caller audio (see module doc)."""

    def __init__(
        self,
        recognizer: Recognizer,
        sample_rate: int,
        task_group: asyncio.TaskGroup,
        *,
        understand: Callable[[str, Lang], Parse],
        expecting: Callable[[], Expectation],
        policy: TurnEndPolicy | None = None,
        settings: AsrSettings | None = None,
    ) -> None:
        self._recognizer, self._rate, self._tg = recognizer, sample_rate, task_group
        self._understand, self._expecting = understand, expecting
        self.policy = policy or TurnEndPolicy()
        base = settings or AsrSettings()
        inner = base.model_copy(
            update={
                "vad_pause_ms": self.policy.complete_ms,
                "vad_end_silence_ms": self.policy.incomplete_ms,
            }
        )
        self._vad = _TrackingClassifier(sample_rate, base.vad_frame_ms, base.vad_mode)
        self._endpointer = Endpointer(
            sample_rate, settings=inner, classifier=self._vad, on_pause=self._on_pause
        )
        self._pending: tuple[SpeechPaused, asyncio.Task[_Reading]] | None = None
        self._ended: tuple[int, asyncio.Task[_Reading]] | None = None
        self._judged = False
        self.stats = TurnStats()

    @property
    def in_speech(self) -> bool:
        return self._endpointer.in_speech

    @property
    def decoding(self) -> asyncio.Task[_Reading] | None:
        """The early decode in flight, if any (a bench may wait on it: instant ASR)."""
        return None if self._pending is None else self._pending[1]

    # --- the Endpointer's interface ------------------------------------------------------------
    def feed(self, pcm: bytes) -> list[VadEvent]:
        """Add caller audio; return the events it completed (a turn may end from meaning)."""
        events = self._endpointer.feed(pcm)
        for event in events:
            if isinstance(event, SpeechEnded):
                self._take_pending(event.offset_ms)
        early = self._early_end()
        return [*events, early] if early is not None else events

    def flush(self) -> SpeechEnded | None:
        ended = self._endpointer.flush()
        if ended is not None:
            self._take_pending(ended.offset_ms)
        return ended

    def reset(self) -> None:
        self._endpointer.reset()
        self._drop()

    async def transcribe(self, ended: SpeechEnded) -> Transcript:
        """The turn's transcript: the early decode when it covers the turn, else a decode now."""
        kept, self._ended = self._ended, None
        if kept is not None and kept[0] == ended.offset_ms:
            result = (await kept[1]).transcript
            if isinstance(result, AsrError):
                raise result
            return result
        if kept is not None:
            kept[1].cancel()
        options = self._expecting().options
        return await self._recognizer.transcribe(ended.pcm, self._rate, options)

    # --- the early decode ----------------------------------------------------------------------
    def _on_pause(self, paused: SpeechPaused) -> None:
        self._drop()
        self.stats.decodes += 1
        task = self._tg.create_task(self._read(paused.pcm, self._expecting()))
        self._pending, self._judged = (paused, task), False

    async def _read(self, pcm: bytes, expected: Expectation) -> _Reading:
        """Decode and judge the words; an engine error must not end the caller's TaskGroup."""
        try:
            transcript = await self._recognizer.transcribe(pcm, self._rate, expected.options)
        except AsrError as e:
            return _Reading(e, self.policy.default_ms)
        text, lang = transcript.text, expected.lang
        # the NLU reading runs on the loop (~20 CPU-ms): only when the judgement needs it
        parse = self._understand(text, lang) if needs_parse(expected.kind, text, lang) else None
        needed = silence_needed_ms(expected.kind, text, parse, lang, self.policy)
        return _Reading(transcript, needed)

    def _early_end(self) -> SpeechEnded | None:
        if self._pending is None:
            return None
        paused, task = self._pending
        if self._vad.voiced_until_ms > paused.offset_ms:  # the debtor spoke again
            self._drop()
            return None
        if not task.done() or task.cancelled():
            return None
        needed = task.result().needed_ms
        if needed > self.policy.default_ms and not self._judged:
            self.stats.long_waits += 1
        self._judged = True
        if self._vad.fed_ms - paused.offset_ms < needed:
            return None
        self._endpointer.reset()
        self._pending, self._ended = None, (paused.offset_ms, task)
        if needed < self.policy.default_ms:
            self.stats.early_ends += 1
        return SpeechEnded(offset_ms=paused.offset_ms, start_ms=paused.start_ms, pcm=paused.pcm)

    def _take_pending(self, offset_ms: int) -> None:
        """The silence alone ended the turn: its early decode (if current) serves it."""
        if self._pending is not None and self._pending[0].offset_ms == offset_ms:
            self._ended, self._pending = (offset_ms, self._pending[1]), None
        else:
            self._drop()

    def _drop(self) -> None:
        if self._pending is not None:
            self._pending[1].cancel()
            self.stats.dropped += 1
            self._pending = None
