"""The bot's voice on a call: a ``Say`` synthesised and streamed to the media leg.

With a ``PromptSpeaker`` (``IVR_PROMPT_CACHE``, one per process and voice, see
``tts.prompt_speech``), the static segments of a prompt come from the prompt cache and only the
parts made of the call's variables (the debtor's name, an amount) are synthesised.

While an interruptible prompt plays, the caller starting to speak stops it at once
(``speech_started``: barge-in); ``barged`` stays set until the session has dealt with it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from core.dialogue import Say
from ivr.media import PlayResult
from ivr.media.rtp import RATE
from ivr.media_leg import MediaLeg
from tts.base import Synthesizer, VoiceParams
from tts.prompt_speech import PromptSpeaker


class Speaker:
    def __init__(
        self,
        synthesizer: Synthesizer,
        voice: VoiceParams | None = None,
        *,
        prompts: PromptSpeaker | None = None,
    ) -> None:
        self._synth, self._voice, self._prompts = synthesizer, voice, prompts
        self._leg: MediaLeg | None = None
        self.speaking: Say | None = None
        self.last_prompt: str | None = None  # the question being answered (recognition hint)
        self.barged = False
        self.started_at = 0.0  # event-loop time the last ``say`` began (time to first audio)

    async def say(self, leg: MediaLeg, command: Say) -> PlayResult:
        self._leg, self.speaking, self.last_prompt = leg, command, command.prompt_key
        self.started_at = asyncio.get_running_loop().time()
        try:
            return await leg.play(self._speech(command))
        finally:
            self.speaking = None

    def speech_started(self) -> None:
        """The caller spoke: an interruptible prompt stops (at most one more 20 ms frame)."""
        speaking = self.speaking
        if speaking is not None and speaking.interruptible and self._leg is not None:
            self._leg.stop()
            self.barged = True

    async def _speech(self, command: Say) -> AsyncIterator[bytes]:
        if self._prompts is not None:
            async for chunk in self._prompts.stream(command, RATE, self._voice):
                yield chunk.pcm
            return
        async for chunk in self._synth.stream(command.text, command.lang, RATE, self._voice):
            yield chunk.pcm
