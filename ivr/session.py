"""One ``CallSession`` per answered call: media, listening, speaking, DTMF, transfer, clean-up.

The session owns one TaskGroup. It bridges the debtor's channel with an ExternalMedia channel
(RTP slin 8 kHz), records the bridge, and runs the dialogue: every call signal becomes a
``core.dialogue`` event for the ``Conversation`` (NLU + policy), whose commands it executes in
order. Speech is endpointed by VAD; speech over an interruptible prompt stops the prompt at
once (barge-in) and the policy sees ``BargedIn``. It ends on ``Hangup``, on the debtor's
hang-up (StasisEnd), on max duration, or on error, and always cleans up the bridge, the media
channel, the socket and its tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from asr.base import RecognitionOptions, Recognizer
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from core.clock import Clock
from core.dialogue import (
    AskDTMF,
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Lang,
    Outcome,
    Say,
    SilenceTimedOut,
    TransferFailed,
    TransferToAgent,
    UtteranceHeard,
)
from core.logging import get_logger
from ivr.ari.client import AriClient
from ivr.ari.models import AriEvent
from ivr.calls import (
    CallResult,
    Conversation,
    TranscriptLine,
    TransferStarted,
    TurnTiming,
)
from ivr.errors import AriError, AriNotFound
from ivr.media import RtpEndpoint, RtpSender, open_rtp_endpoint
from ivr.media.rtp import RATE
from ivr.settings import IvrSettings
from tts.base import Synthesizer, VoiceParams

log = get_logger(__name__)

HANGUP_EVENTS = frozenset({"StasisEnd", "ChannelDestroyed", "ChannelHangupRequest"})


@dataclass(frozen=True, slots=True)
class _Vad:
    event: SpeechStarted | SpeechEnded
    at: float


Signal = AriEvent | _Vad
Publish = Callable[[TransferStarted], Awaitable[None]]


class _CallOver(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class _Media:
    endpoint: RtpEndpoint
    em_id: str
    bridge_id: str
    sender: RtpSender


class CallSession:
    """Runs one call. ``deliver`` feeds it the ARI events of its channels (in order)."""

    def __init__(
        self,
        *,
        ari: AriClient,
        channel_id: str,
        conversation: Conversation,
        recognizer: Recognizer,
        synthesizer: Synthesizer,
        clock: Clock,
        lang: Lang = "en",
        voice: VoiceParams | None = None,
        settings: IvrSettings | None = None,
        claim: Callable[[str], None] = lambda _id: None,
        publish: Publish | None = None,
    ) -> None:
        self.ari, self.channel_id, self.lang = ari, channel_id, lang
        self._conversation, self._recognizer, self._synth = conversation, recognizer, synthesizer
        self._clock, self._voice = clock, voice
        self._settings = settings or IvrSettings()
        self._claim, self._publish = claim, publish
        self.call_id = channel_id
        self.result = CallResult(self.call_id, channel_id, clock.now())
        self._inbox: asyncio.Queue[Signal] = asyncio.Queue()
        self._ari_events: asyncio.Queue[AriEvent] = asyncio.Queue()
        self._media: _Media | None = None
        self._speaking: Say | None = None
        self._barged = False
        self._dtmf_ask: AskDTMF | None = None
        self._digits = ""
        self._speech_end_at: float | None = None
        self._pending_timing: tuple[float, float] | None = None
        self._pending_events: list[DialogueEvent] = []

    # --- inputs ----------------------------------------------------------------------------
    def deliver(self, event: AriEvent) -> None:
        """An ARI event of one of this session's channels (called by the router, in order)."""
        self._inbox.put_nowait(event)
        self._ari_events.put_nowait(event)
        if event.channel_id == self.channel_id and event.type in HANGUP_EVENTS and self._media:
            self._media.sender.stop()  # nobody listens any more

    def _line(self, speaker: Literal["bot", "debtor", "dtmf"], text: str) -> None:
        self.result.transcript.append(TranscriptLine(self._clock.now(), speaker, text))

    # --- lifecycle -------------------------------------------------------------------------
    async def run(self) -> CallResult:
        log.info("ivr.call_started", call_id=self.call_id)
        try:
            async with asyncio.timeout(self._settings.max_call_s):
                await self._run_call()
        except TimeoutError:
            self.result.end_reason = "max_duration"
            with contextlib.suppress(AriError):
                await self.ari.hangup(self.channel_id)
        finally:
            await asyncio.shield(self._cleanup())
            self.result.ended_at = self._clock.now()
            self.result.outcome = self.result.outcome or Outcome.HUNG_UP
            log.info(
                "ivr.call_ended",
                call_id=self.call_id,
                outcome=str(self.result.outcome),
                reason=self.result.end_reason,
            )
        return self.result

    async def _run_call(self) -> None:
        try:
            self._media = await self._open_media()
        except _CallOver as over:  # the debtor hung up while the media was being set up
            self.result.end_reason = over.reason
            return
        except AriNotFound:  # a 404 while setting up: fine if the debtor has gone meanwhile
            if await self._channel_alive():
                raise
            self.result.end_reason = "caller_hung_up"
            return
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._listen(self._media.endpoint), name=f"listen-{self.call_id}")
                await self._dialogue()
                raise _CallOver("hangup")
        except* _CallOver as group:
            self.result.end_reason = self.result.end_reason or str(group.exceptions[0])

    async def _open_media(self) -> _Media:
        endpoint = await open_rtp_endpoint(self._settings.media_host)
        em_id = f"{self.call_id}-em"
        self._claim(em_id)
        try:
            em = await self.ari.external_media(endpoint.external_host, channel_id=em_id)
            try:
                await self._wait_ari("StasisStart", em_id, 5.0)
            except TimeoutError as e:
                raise AriError("ExternalMedia channel never entered Stasis", retryable=True) from e
            bridge = await self.ari.create_bridge(bridge_id=f"{self.call_id}-br")
            media = _Media(
                endpoint, em_id, bridge.id, endpoint.sender(em.local_host, em.local_port)
            )
            self._media = media
            await self.ari.add_to_bridge(bridge.id, [self.channel_id, em_id])
            if self._settings.record_calls:
                name = f"call-{self.call_id}"
                await self.ari.record_bridge(bridge.id, name, fmt=self._settings.recording_format)
                self.result.recording = name
        except BaseException:
            if self._media is None:  # not yet the clean-up's to undo: the legs made so far
                await asyncio.shield(self._tidy("hangup", self.ari.hangup(em_id)))
                await asyncio.shield(
                    self._tidy("destroy_bridge", self.ari.destroy_bridge(f"{self.call_id}-br"))
                )
                endpoint.close()
            raise
        return media

    async def _channel_alive(self) -> bool:
        try:
            await self.ari.get_channel(self.channel_id)
        except AriNotFound:
            return False
        return True

    async def _wait_ari(self, kind: str, channel_id: str, within: float) -> AriEvent:
        async with asyncio.timeout(within):
            while True:
                event = await self._ari_events.get()
                if event.type == kind and event.channel_id == channel_id:
                    return event
                if event.channel_id == self.channel_id and event.type in HANGUP_EVENTS:
                    self._inbox.put_nowait(event)
                    raise _CallOver("caller_hung_up")

    async def _cleanup(self) -> None:
        media, self._media = self._media, None
        # the session is over whatever ended it (error included): nobody may stay on the line
        await self._tidy("hangup", self.ari.hangup(self.channel_id))
        if media is None:
            return
        media.sender.stop()
        if self.result.recording:
            await self._tidy("stop_recording", self.ari.stop_recording(self.result.recording))
        legs = [media.em_id, *filter(None, [self.result.agent_channel_id])]
        for leg in legs:  # the agent leg too: nobody is left to talk to once the debtor is gone
            await self._tidy("hangup", self.ari.hangup(leg))
        await self._tidy("destroy_bridge", self.ari.destroy_bridge(media.bridge_id))
        media.endpoint.close()

    async def _tidy(self, step: str, call: Awaitable[None]) -> None:
        """One clean-up step; what is already gone is fine, other failures are logged."""
        try:
            await call
        except AriNotFound:
            pass
        except AriError as e:
            log.warning("ivr.cleanup_failed", call_id=self.call_id, step=step, error=str(e))

    # --- listening -------------------------------------------------------------------------
    async def _listen(self, endpoint: RtpEndpoint) -> None:
        endpointer = Endpointer(RATE)
        loop = asyncio.get_running_loop()
        async for chunk in endpoint.receiver.chunks():
            for event in endpointer.feed(chunk):
                speaking = self._speaking
                if isinstance(event, SpeechStarted) and speaking and speaking.interruptible:
                    self._barge_in()
                self._inbox.put_nowait(_Vad(event, loop.time()))

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
                case _Vad(event=SpeechStarted()):
                    in_speech = True
                case _Vad(event=SpeechEnded() as ended, at=at):
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
        options = RecognitionOptions.of(self.lang)
        transcript = await self._recognizer.transcribe(ended.pcm, RATE, options)
        if transcript.is_empty:
            return None
        asr_done = loop.time()
        self._line("debtor", transcript.text)
        self._pending_timing = (at, asr_done)
        parse = self._conversation.understand(transcript.text, self.lang)
        return UtteranceHeard(transcript.text, self.lang, parse)

    def _from_ari(self, event: AriEvent) -> DialogueEvent | None:
        if event.channel_id != self.channel_id:
            return None
        if event.type in HANGUP_EVENTS:
            raise _CallOver("caller_hung_up")
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

    # --- the dialogue ----------------------------------------------------------------------
    async def _dialogue(self) -> None:
        event: DialogueEvent = CallAnswered(self._clock.now())
        while True:
            try:
                await self._decide_and_run(event)
            except _CallOver as over:
                if over.reason == "caller_hung_up":
                    self._final_decide(CallerHungUp(self._clock.now()))
                raise
            try:
                event = await self._next_event()
            except _CallOver:
                self._final_decide(CallerHungUp(self._clock.now()))
                raise

    def _final_decide(self, event: DialogueEvent) -> None:
        """The policy's last word after the caller hung up (an outcome, records)."""
        for command in self._conversation.decide(event):
            if isinstance(command, Hangup):
                self.result.outcome = self.result.outcome or command.outcome
            elif not isinstance(command, Say | AskDTMF | TransferToAgent):
                self.result.records.append(command)

    async def _decide_and_run(self, event: DialogueEvent) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        commands = list(self._conversation.decide(event))
        decided = loop.time()
        timing, self._pending_timing = self._pending_timing, None
        first_audio: float | None = None
        try:
            for command in commands:
                if self._barged and isinstance(command, Say | AskDTMF):
                    continue  # the caller talks over us: the rest of this reply is not spoken
                at = await self._execute(command)
                first_audio = first_audio if first_audio is not None else at
        finally:
            self._barged = False
            if timing is not None:
                self._timed(timing, decided - started, first_audio)

    def _timed(self, timing: tuple[float, float], decide_s: float, first: float | None) -> None:
        speech_end, asr_done = timing
        self.result.timings.append(
            TurnTiming(
                asr_ms=(asr_done - speech_end) * 1000,
                decide_ms=decide_s * 1000,
                first_audio_ms=None if first is None else (first - speech_end) * 1000,
            )
        )

    async def _execute(self, command: DialogueCommand) -> float | None:
        """Run one command; returns when the first audio frame left (for Say)."""
        match command:
            case Say():
                return await self._say(command)
            case AskDTMF():
                self._dtmf_ask, self._digits = command, ""
            case TransferToAgent():
                await self._transfer(command)
            case Hangup():
                self.result.outcome = command.outcome
                with contextlib.suppress(AriError):
                    await self.ari.hangup(self.channel_id)
                raise _CallOver("bot_hung_up")
            case _:
                self.result.records.append(command)
        return None

    async def _say(self, command: Say) -> float | None:
        assert self._media is not None
        self._line("bot", command.text)
        self._speaking = command
        try:
            result = await self._media.sender.play(self._speech(command))
        finally:
            self._speaking = None
        if self._barged:
            self._pending_events.append(BargedIn(command.prompt_key))
            self._line("bot", "[interrupted]")
        return result.first_frame_at

    async def _speech(self, command: Say) -> AsyncIterator[bytes]:
        async for chunk in self._synth.stream(command.text, command.lang, RATE, self._voice):
            yield chunk.pcm

    # --- transfer --------------------------------------------------------------------------
    async def _transfer(self, command: TransferToAgent) -> None:
        assert self._media is not None
        agent_id = f"{self.call_id}-agent"
        self._claim(agent_id)
        await self.ari.originate(
            self._settings.agent_endpoint,
            app_args=["agent", self.call_id],
            channel_id=agent_id,
            other_channel_id=f"{agent_id}-2",
            timeout_s=int(self._settings.agent_answer_timeout_s),
        )
        try:
            await self._wait_ari("StasisStart", agent_id, self._settings.agent_answer_timeout_s)
        except TimeoutError:
            with contextlib.suppress(AriError):
                await self.ari.hangup(agent_id)
            await self._decide_and_run(TransferFailed("no agent answered"))
            return
        media = self._media
        await self.ari.add_to_bridge(media.bridge_id, [agent_id])
        await self.ari.remove_from_bridge(media.bridge_id, [media.em_id])
        with contextlib.suppress(AriError):
            await self.ari.hangup(media.em_id)
        self.result.outcome = Outcome.TRANSFERRED
        self.result.agent_channel_id = agent_id
        if self._publish is not None:
            transcript = tuple(self.result.transcript)
            await self._publish(
                TransferStarted(self.call_id, agent_id, command.reason, command.summary, transcript)
            )
        await self._wait_leg_ends({self.channel_id, agent_id})

    async def _wait_leg_ends(self, legs: set[str]) -> None:
        """After a transfer: the call is over when the debtor or the agent hangs up."""
        while True:
            event = await self._ari_events.get()
            if event.channel_id in legs and event.type in HANGUP_EVENTS:
                ended = "caller_hung_up" if event.channel_id == self.channel_id else "agent_hung_up"
                raise _CallOver(ended)
