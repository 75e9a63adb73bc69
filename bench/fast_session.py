"""The issue-13 levers wired into today's ``CallSession`` for the benches only (a prototype of
the hook the session's listener and speaker seams take after the session rebuild):

- ``cache``: speech through ``tts.prompt_speech.PromptSpeaker`` (static segments from one
  process-wide ``PromptCache``) instead of ``Synthesizer.stream`` on the whole text;
- ``turn``: the listener's ``Endpointer`` replaced by ``ivr.early_turn.MeaningEndpointer``
  (early decode at 200 ms of silence, turn end from meaning), whose ``transcribe`` returns that
  decode instead of decoding the turn again.

Each override is the few lines the real hook needs; everything else is the session's own code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from asr.vad import SpeechEnded, SpeechStarted
from core.dialogue import Lang, Parse, Say, UtteranceHeard
from ivr.early_turn import Expectation, MeaningEndpointer, TurnStats
from ivr.media import RtpEndpoint
from ivr.media.rtp import RATE
from ivr.session import CallSession
from ivr.session_base import Vad
from tts.prompt_speech import PromptSpeaker


class FastSession(CallSession):
    """``CallSession`` with the prompt cache and/or the meaning endpointer switched in."""

    def __init__(
        self,
        *,
        speaker: PromptSpeaker | None,
        understand: Callable[[str, Lang], Parse] | None,
        turn_stats: TurnStats | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._speaker, self._understand = speaker, understand
        self._turn_stats = turn_stats
        self._turns: MeaningEndpointer | None = None

    async def _speech(self, command: Say) -> AsyncIterator[bytes]:
        if self._speaker is None:
            async for pcm in super()._speech(command):
                yield pcm
            return
        async for chunk in self._speaker.stream(command, RATE, self._voice):
            yield chunk.pcm

    async def _listen(self, endpoint: RtpEndpoint) -> None:
        if self._understand is None:
            await super()._listen(endpoint)
            return
        loop = asyncio.get_running_loop()
        async with asyncio.TaskGroup() as tg:
            turns = MeaningEndpointer(
                self._recognizer,
                RATE,
                tg,
                understand=self._understand,
                expecting=lambda: Expectation.after(self._last_prompt, self.lang),
            )
            self._turns = turns
            try:
                async for chunk in endpoint.receiver.chunks():
                    for event in turns.feed(chunk):
                        speaking = self._speaking
                        if isinstance(event, SpeechStarted) and speaking and speaking.interruptible:
                            self._barge_in()
                        self._inbox.put_nowait(Vad(event, loop.time()))
            finally:
                if self._turn_stats is not None:
                    for name in ("early_ends", "long_waits", "decodes", "dropped"):
                        total = getattr(self._turn_stats, name) + getattr(turns.stats, name)
                        setattr(self._turn_stats, name, total)

    async def _recognise(self, ended: SpeechEnded, at: float) -> UtteranceHeard | None:
        if self._turns is None:
            return await super()._recognise(ended, at)
        loop = asyncio.get_running_loop()
        transcript = await self._turns.transcribe(ended)
        if transcript.is_empty:
            return None
        self._line("debtor", transcript.text)
        self._pending_timing = (at, loop.time())
        parse = self._conversation.understand(transcript.text, self.lang)
        return UtteranceHeard(transcript.text, self.lang, parse.heard_with(transcript.confidence))
