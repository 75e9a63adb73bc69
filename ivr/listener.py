"""The listener of a call: caller audio -> end of turn -> words.

``listen`` feeds the media leg's frames to the call's turn detector and posts what it reports
(``SpeechStarted``: the caller began, the bot stops an interruptible prompt; ``SpeechEnded``:
the turn is over, with its audio) to the call's events. ``hear`` turns a finished turn into a
transcript, with the recognition hints of the question being answered; ``transcribe`` does so
without hints (an agent's live transcript).

The end-of-turn seam: ``end_of_turn`` makes the call's ``TurnDetector`` (by default the VAD
endpointer, ``asr.vad.Endpointer``: the turn ends after ``ASR_VAD_END_SILENCE_MS`` of
silence). Another policy (a shorter pause when the words so far are a complete answer, say)
is a detector with the same ``feed``: it sees every frame and decides when the turn ended.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable, Iterable
from typing import Protocol

from asr.base import RecognitionOptions, Recognizer, Transcript
from asr.hints import hint_for, stage_of
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from core.dialogue import Lang
from ivr.call_events import CallEvents, Vad
from ivr.media.rtp import RATE


class TurnDetector(Protocol):
    def feed(self, pcm: bytes) -> Iterable[object]:
        """Caller audio (any length); the ``SpeechStarted`` / ``SpeechEnded`` it completed
        (anything else it reports is ignored)."""
        ...


EndOfTurn = Callable[[], TurnDetector]


def vad_end_of_turn() -> TurnDetector:
    return Endpointer(RATE)


class Listener:
    def __init__(
        self, recognizer: Recognizer, lang: Lang, *, end_of_turn: EndOfTurn = vad_end_of_turn
    ) -> None:
        self.recognizer, self.lang = recognizer, lang
        self._end_of_turn = end_of_turn

    async def listen(
        self,
        frames: AsyncIterable[bytes],
        events: CallEvents,
        on_speech: Callable[[], None],
    ) -> None:
        """Until the frames end: ``on_speech`` at each start of speech, every start and end
        posted to ``events``."""
        detector = self._end_of_turn()
        loop = asyncio.get_running_loop()
        async for chunk in frames:
            for event in detector.feed(chunk):
                if isinstance(event, SpeechStarted):
                    on_speech()
                if isinstance(event, SpeechStarted | SpeechEnded):
                    events.post(Vad(event, loop.time()))

    async def hear(self, ended: SpeechEnded, prompt_key: str | None) -> Transcript | None:
        """The words of a turn (None: noise, no words), hinted by the question asked."""
        options = hint_for(stage_of(prompt_key), self.lang).options()
        return _words(await self.recognizer.transcribe(ended.pcm, RATE, options))

    async def transcribe(self, ended: SpeechEnded) -> Transcript | None:
        options = RecognitionOptions.of(self.lang)
        return _words(await self.recognizer.transcribe(ended.pcm, RATE, options))


def _words(transcript: Transcript) -> Transcript | None:
    return None if transcript.is_empty else transcript
