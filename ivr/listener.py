"""The listener of a call: caller audio -> end of turn -> words.

``listen`` feeds the media leg's frames to the call's turn detector and posts what it reports
(``SpeechStarted``: the caller began, the bot stops an interruptible prompt; ``SpeechEnded``:
the turn is over, with its audio) to the call's events. ``hear`` turns a finished turn into a
transcript, with the recognition hints of the question being answered; ``transcribe`` does so
without hints (an agent's live transcript).

The end-of-turn seam: ``end_of_turn`` makes the call's ``TurnDetector`` from the call's
``TurnContext`` (``IVR_TURN_END``, :func:`end_of_turn_for`):

- ``silence``: the VAD endpointer (``asr.vad.Endpointer``): the turn ends after
  ``ASR_VAD_END_SILENCE_MS`` of silence;
- ``meaning``: ``ivr.early_turn.MeaningEndpointer``: the turn so far is decoded at the first
  200 ms pause and the words decide the silence needed (a whole answer to the question the
  last prompt asked ends at once, an unfinished sentence waits 1,000 ms). A detector that can
  ``transcribe`` its turn (an ``EarlyDecoder``) gives ``hear`` that early decode: no second
  decode.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, cast, runtime_checkable

from asr.base import RecognitionOptions, Recognizer, Transcript
from asr.hints import hint_for, stage_of
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from core.dialogue import Lang, Parse
from ivr.call_events import CallEvents, Vad
from ivr.early_turn import Expectation, MeaningEndpointer
from ivr.media.rtp import RATE
from ivr.settings import IvrSettings, TurnEndMode

_BYTES_PER_MS = RATE * 2 // 1000
FRAME_MS = 20
GAP_FILL_MS = 300  # no caller audio for this long: the time passed is fed as silence
# (longer than the jitter a line may have: a late burst of frames must not arrive after an
# invented silence that ended the turn; a quiet line's turn then ends 300 ms after the words)
GAP_TICK_S = 0.04


class TurnDetector(Protocol):
    def feed(self, pcm: bytes) -> Iterable[object]:
        """Caller audio (any length); the ``SpeechStarted`` / ``SpeechEnded`` it completed
        (anything else it reports is ignored)."""
        ...


@runtime_checkable
class EarlyDecoder(Protocol):
    """A turn detector that already decoded the turn it ended."""

    def feed(self, pcm: bytes) -> Iterable[object]: ...

    async def transcribe(self, ended: SpeechEnded) -> Transcript: ...


@dataclass(frozen=True, slots=True)
class TurnContext:
    """What a call's turn detector may use: the recogniser, the call's language, a task group
    for background decodes (alive while the call listens), the conversation's NLU reading,
    and the key of the prompt the bot said last (the question being answered)."""

    recognizer: Recognizer
    lang: Lang
    tasks: asyncio.TaskGroup
    understand: Callable[[str, Lang], Parse]
    prompt_key: Callable[[], str | None]


# a factory may also take no argument (a detector that needs nothing of the call)
EndOfTurn = Callable[[TurnContext], TurnDetector] | Callable[[], TurnDetector]


def _detector(factory: EndOfTurn, turn: TurnContext) -> TurnDetector:
    try:
        takes_turn = bool(inspect.signature(factory).parameters)
    except (TypeError, ValueError):  # no signature to read: the seam's own form
        takes_turn = True
    if takes_turn:
        return cast(Callable[[TurnContext], TurnDetector], factory)(turn)
    return cast(Callable[[], TurnDetector], factory)()


def vad_end_of_turn(_turn: TurnContext | None = None) -> TurnDetector:
    return Endpointer(RATE)


def meaning_end_of_turn(turn: TurnContext) -> TurnDetector:
    return MeaningEndpointer(
        turn.recognizer,
        RATE,
        turn.tasks,
        understand=turn.understand,
        expecting=lambda: Expectation.after(turn.prompt_key(), turn.lang),
    )


def end_of_turn_for(
    mode: TurnEndMode | IvrSettings,
) -> Callable[[TurnContext], TurnDetector]:
    """The detector factory ``IVR_TURN_END`` names."""
    chosen = mode.turn_end if isinstance(mode, IvrSettings) else mode
    return meaning_end_of_turn if chosen == "meaning" else vad_end_of_turn


def _no_reading(text: str, lang: Lang) -> Parse:
    return Parse("out_of_scope", 0.0)


class Listener:
    def __init__(
        self, recognizer: Recognizer, lang: Lang, *, end_of_turn: EndOfTurn = vad_end_of_turn
    ) -> None:
        self.recognizer, self.lang = recognizer, lang
        self._end_of_turn = end_of_turn
        self.detector: TurnDetector | None = None  # the call's, while it listens

    async def listen(
        self,
        frames: AsyncIterable[bytes],
        events: CallEvents,
        on_speech: Callable[[], None],
        *,
        understand: Callable[[str, Lang], Parse] = _no_reading,
        prompt_key: Callable[[], str | None] = lambda: None,
    ) -> None:
        """Until the frames end: ``on_speech`` at each start of speech, every start and end
        posted to ``events`` (an end with when the caller's voice stopped)."""
        loop = asyncio.get_running_loop()
        async with asyncio.TaskGroup() as tasks:
            turn = TurnContext(self.recognizer, self.lang, tasks, understand, prompt_key)
            self.detector = detector = _detector(self._end_of_turn, turn)
            fed_ms = 0.0  # caller audio fed so far: the detectors' clock
            last_at = heard_at = loop.time()  # the last audio fed, the last audio received

            def feed(chunk: bytes) -> None:
                nonlocal fed_ms
                fed_ms += len(chunk) / _BYTES_PER_MS
                for event in detector.feed(chunk):
                    now = loop.time()
                    if isinstance(event, SpeechStarted):
                        on_speech()
                        events.post(Vad(event, now))
                    elif isinstance(event, SpeechEnded):
                        silence_s = max(0.0, fed_ms - event.offset_ms) / 1000
                        events.post(Vad(event, now, now - silence_s))

            async def fill_gaps() -> None:
                """No audio for a while (a line that sends nothing in silence, a two-party
                bridge): the detector hears that time as silence, so a turn still ends."""
                nonlocal last_at
                while True:
                    await asyncio.sleep(GAP_TICK_S)
                    gap_ms = int((loop.time() - last_at) * 1000) // FRAME_MS * FRAME_MS
                    filling = last_at > heard_at  # already in a gap: keep its silence flowing
                    if gap_ms >= (FRAME_MS if filling else GAP_FILL_MS):
                        last_at += gap_ms / 1000
                        feed(bytes(gap_ms * _BYTES_PER_MS))

            filler = tasks.create_task(fill_gaps())
            async for chunk in frames:
                last_at = heard_at = loop.time()
                feed(chunk)
            filler.cancel()

    async def hear(self, ended: SpeechEnded, prompt_key: str | None) -> Transcript | None:
        """The words of a turn (None: noise, no words), hinted by the question asked; the
        detector's early decode when it made one."""
        detector = self.detector
        if isinstance(detector, EarlyDecoder):
            return _words(await detector.transcribe(ended))
        options = hint_for(stage_of(prompt_key), self.lang).options()
        return _words(await self.recognizer.transcribe(ended.pcm, RATE, options))

    async def transcribe(self, ended: SpeechEnded) -> Transcript | None:
        options = RecognitionOptions.of(self.lang)
        return _words(await self.recognizer.transcribe(ended.pcm, RATE, options))


def _words(transcript: Transcript) -> Transcript | None:
    return None if transcript.is_empty else transcript
