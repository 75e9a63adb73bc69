"""The listening part of a ``CallSession``: VAD endpointing of the debtor's audio, barge-in,
recognition (ASR + NLU) and keypad digits, turned into the next ``core.dialogue`` event."""

from __future__ import annotations

import asyncio

from asr.hints import hint_for, stage_of
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from core.dialogue import AskDTMF, DialogueEvent, DtmfReceived, SilenceTimedOut, UtteranceHeard
from ivr.ari.models import AriEvent
from ivr.media import RtpEndpoint
from ivr.media.rtp import RATE
from ivr.session_base import HANGUP_EVENTS, CallOver, SessionBase, Vad


class Listening(SessionBase):
    async def _listen(self, endpoint: RtpEndpoint) -> None:
        endpointer = Endpointer(RATE)
        loop = asyncio.get_running_loop()
        async for chunk in endpoint.receiver.chunks():
            for event in endpointer.feed(chunk):
                speaking = self._speaking
                if isinstance(event, SpeechStarted) and speaking and speaking.interruptible:
                    self._barge_in()
                self._inbox.put_nowait(Vad(event, loop.time()))

    def _barge_in(self) -> None:
        if self._media is not None:
            self._media.sender.stop()  # at most one more 20 ms frame leaves
        self._barged = True

    async def _next_event(self) -> DialogueEvent:
        """Wait for the next thing the policy must know about."""
        if self._pending_events:
            return self._pending_events.pop(0)
        loop = asyncio.get_running_loop()
        deadline, in_speech = loop.time() + self._wait_s(), False
        while True:
            try:
                async with asyncio.timeout_at(None if in_speech else deadline):
                    signal = await self._inbox.get()
            except TimeoutError:
                return self._timed_out(self._wait_s())
            match signal:
                case Vad(event=SpeechStarted()):
                    in_speech = True
                case Vad(event=SpeechEnded() as ended, at=at):
                    in_speech = False
                    heard = await self._recognise(ended, at)
                    if heard is not None:
                        return heard
                    deadline = loop.time() + self._wait_s()  # noise, not words: wait again
                case AriEvent() as ari_event:
                    digits = len(self._digits)
                    event = self._from_ari(ari_event)
                    if event is not None:
                        return event
                    if len(self._digits) != digits:  # a digit: the inter-digit timer restarts
                        deadline = loop.time() + self._wait_s()

    def _wait_s(self) -> float:
        return self._dtmf_ask.timeout_seconds if self._dtmf_ask else self._settings.no_input_s

    def _timed_out(self, timeout: float) -> DialogueEvent:
        if self._dtmf_ask is not None and self._digits:
            return self._digits_done()
        self._dtmf_ask = None
        return SilenceTimedOut(timeout)

    async def _recognise(self, ended: SpeechEnded, at: float) -> UtteranceHeard | None:
        loop = asyncio.get_running_loop()
        options = hint_for(stage_of(self._last_prompt), self.lang).options()
        transcript = await self._recognizer.transcribe(ended.pcm, RATE, options)
        if transcript.is_empty:
            return None
        asr_done = loop.time()
        self._line("debtor", transcript.text)
        self._pending_timing = (at, asr_done)
        parse = self._conversation.understand(transcript.text, self.lang)
        # the recogniser's own confidence travels with the parse (None: it gave none)
        return UtteranceHeard(transcript.text, self.lang, parse.heard_with(transcript.confidence))

    def _from_ari(self, event: AriEvent) -> DialogueEvent | None:
        if event.channel_id != self.channel_id:
            return None
        if event.type in HANGUP_EVENTS:
            raise CallOver("caller_hung_up")
        if event.type == "ChannelDtmfReceived" and event.digit:
            self._line("dtmf", event.digit)
            if self._dtmf_ask is None:  # digits nobody asked for: collect until # or a pause
                keypad_s = self._settings.dtmf_interdigit_s
                self._dtmf_ask = AskDTMF("keypad", max_digits=32, timeout_seconds=keypad_s)
            ask = self._dtmf_ask
            if event.digit == ask.terminator:
                return self._digits_done()
            self._digits += event.digit
            if len(self._digits) >= ask.max_digits:
                return self._digits_done()
        return None

    def _digits_done(self) -> DtmfReceived:
        digits, self._digits, self._dtmf_ask = self._digits, "", None
        return DtmfReceived(digits)
