"""One ``CallSession`` per answered call, composed of parts behind small protocols.

- ``CallControl`` (ivr/call_control.py): the subset of ARI a call uses (``AriClient``).
- ``MediaOpener`` / ``MediaLeg`` (ivr/media_leg.py): the call's media bridged in Asterisk;
  frames in, play, stop.
- ``Listener`` (ivr/listener.py): end of turn (``IVR_TURN_END``: from meaning, or silence
  only) and recognition.
- ``Speaker`` (ivr/speaker.py): TTS streamed to the leg (static prompt segments from the
  prompt cache when given a ``PromptSpeaker``), barge-in.
- ``Keypad`` (ivr/keypad.py): DTMF entry.
- ``Conversation`` (ivr/calls.py): NLU + policy; given, or loaded while the media is set up.
- ``AgentTransfer`` (ivr/transfer.py): the agent leg.

The session runs the dialogue: every call signal (``CallEvents``: ARI events of its channels
and the listener's speech starts and ends) becomes a ``core.dialogue`` event for the
conversation, whose commands it executes in order. Speech over an interruptible prompt stops
the prompt at once and the policy sees ``BargedIn``. It ends on ``Hangup``, on the caller's
hang-up, on max duration, or on error, and always hangs up and undoes the media. Each debtor
turn's timing is logged as ``ivr.turn`` (ivr/turn_log.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Literal

from asr.base import Recognizer
from asr.vad import SpeechEnded, SpeechStarted
from core.clock import Clock
from core.dialogue import (
    AskDTMF,
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
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
from ivr.ari.models import AriEvent
from ivr.call_control import CallControl, tidy
from ivr.call_events import HANGUP_EVENTS, CallEvents, CallOver, Vad
from ivr.calls import CallResult, Conversation, TranscriptLine
from ivr.errors import AriError
from ivr.keypad import Keypad
from ivr.listener import EndOfTurn, Listener, end_of_turn_for
from ivr.media_leg import AriMedia, CallMedia, MediaOpener
from ivr.reply_window import ReplyWindows
from ivr.settings import IvrSettings
from ivr.speaker import Speaker
from ivr.transfer import AgentTransfer, Publish
from ivr.transfer_desk import AgentDesk, LiveFeed
from ivr.turn_log import TurnClock
from tts.base import Synthesizer, VoiceParams
from tts.prompt_speech import PromptSpeaker

__all__ = ["HANGUP_EVENTS", "CallSession", "ConversationSource", "Publish"]

log = get_logger(__name__)

ConversationSource = Callable[[], Awaitable[Conversation]]


class CallSession:
    """Runs one call. ``deliver`` feeds it the ARI events of its channels (in order)."""

    def __init__(
        self,
        *,
        control: CallControl,
        channel_id: str,
        conversation: Conversation | ConversationSource,
        media: MediaOpener,
        listener: Listener,
        speaker: Speaker,
        clock: Clock,
        settings: IvrSettings | None = None,
        transfer: AgentTransfer | None = None,
        replies: ReplyWindows | None = None,
    ) -> None:
        """``conversation``: the dialogue, or an async source of it (started when the call
        is, awaited before the greeting). ``replies``: the process's calls waiting for their
        reply's first audio (this one from its end of turn to that frame)."""
        self.control, self.channel_id, self.call_id = control, channel_id, channel_id
        self._source = conversation if callable(conversation) else _ready(conversation)
        self._media_opener, self._listener, self._speaker = media, listener, speaker
        self._clock, self._transfer = clock, transfer
        self._settings = settings or IvrSettings()
        self._keypad = Keypad(self._settings.dtmf_interdigit_s)
        self.events = CallEvents(channel_id)
        self.result = CallResult(self.call_id, channel_id, clock.now())
        self._media: CallMedia | None = None
        self.closing = False  # set once the session starts hanging up (and stops its recording)
        self._conversation: Conversation | None = None
        self._pending_timing: TurnClock | None = None
        self._pending_events: list[DialogueEvent] = []
        self._replies, self._in_reply = replies or ReplyWindows(), False

    @classmethod
    def over_ari(
        cls,
        *,
        ari: CallControl,
        channel_id: str,
        conversation: Conversation | ConversationSource,
        recognizer: Recognizer,
        synthesizer: Synthesizer,
        clock: Clock,
        lang: Lang = "en",
        voice: VoiceParams | None = None,
        settings: IvrSettings | None = None,
        claim: Callable[[str], None] = lambda _id: None,
        publish: Publish | None = None,
        case_id: str | None = None,
        desk: AgentDesk | None = None,
        live: LiveFeed | None = None,
        end_of_turn: EndOfTurn | None = None,
        prompts: PromptSpeaker | None = None,
        replies: ReplyWindows | None = None,
    ) -> CallSession:
        """The parts of a call on Asterisk: RTP media through ExternalMedia, the agent desk.
        ``end_of_turn``: by default the one ``IVR_TURN_END`` names; ``prompts``: the process's
        prompt speaker for this voice (used when ``IVR_PROMPT_CACHE`` is on)."""
        settings = settings or IvrSettings()
        end_of_turn = end_of_turn or end_of_turn_for(settings)
        listener = Listener(recognizer, lang, end_of_turn=end_of_turn)
        transfer = AgentTransfer(
            control=ari, channel_id=channel_id, lang=lang, listener=listener, clock=clock,
            settings=settings, claim=claim, case_id=case_id, desk=desk, publish=publish,
            live=live,
        )  # fmt: skip
        return cls(
            control=ari, channel_id=channel_id, conversation=conversation,
            media=AriMedia(ari, channel_id, channel_id, settings, claim), listener=listener,
            speaker=Speaker(synthesizer, voice, prompts=prompts if settings.prompt_cache else None),
            clock=clock, settings=settings,
            transfer=transfer, replies=replies,
        )  # fmt: skip

    def deliver(self, event: AriEvent) -> None:
        """An ARI event of one of this session's channels (called by the router, in order)."""
        self.events.deliver(event)

    # --- lifecycle -------------------------------------------------------------------------
    async def run(self) -> CallResult:
        log.info("ivr.call_started", call_id=self.call_id)
        try:
            async with asyncio.timeout(self._settings.max_call_s):
                await self._run_call()
        except TimeoutError:
            self.result.end_reason = "max_duration"
            with contextlib.suppress(AriError):
                await self.control.hangup(self.channel_id)
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
        loading = asyncio.ensure_future(self._source())  # while the media is set up
        try:
            if not await self._open_media():
                return
            self._conversation = await loading
            media = self._media
            assert media is not None
            try:
                async with asyncio.TaskGroup() as tg:
                    frames = media.leg.frames()
                    hears = self._listener.listen(
                        frames, self.events, self._speaker.speech_started,
                        understand=self._conversation.understand,
                        prompt_key=lambda: self._speaker.last_prompt,
                    )  # fmt: skip
                    tg.create_task(hears, name=f"listen-{self.call_id}")
                    await self._dialogue(self._conversation)
                    raise CallOver("hangup")
            except* CallOver as group:
                self.result.end_reason = self.result.end_reason or str(group.exceptions[0])
        finally:
            loading.cancel()  # a call that never got to its dialogue does not need it
            if loading.done() and not loading.cancelled():
                loading.exception()  # retrieved (a failure that did not matter is not logged)

    async def _open_media(self) -> bool:
        """False: the caller hung up while the media was being set up."""

        def bridged(media: CallMedia) -> None:
            self._media = media

        try:
            media = await self._media_opener.open(self.events, bridged)
        except CallOver as over:
            self.result.end_reason = over.reason
            return False
        except AriError:  # fine if the debtor has gone meanwhile (Asterisk says 404, or 400
            # "Channel not found" for a channel being hung up); else the call failed
            if await self.control.channel_exists(self.channel_id):
                raise
            self.result.end_reason = "caller_hung_up"
            return False
        self._media, self.result.recording = media, media.recording
        return True

    async def _cleanup(self) -> None:
        self.closing = True
        self._reply_window(False)
        media, self._media = self._media, None
        # the session is over whatever ended it (error included): nobody may stay on the line
        await tidy(self.call_id, "hangup", lambda: self.control.hangup(self.channel_id))
        if media is not None:
            await self._media_opener.close(media)

    def _line(self, speaker: Literal["bot", "debtor", "dtmf"], text: str) -> None:
        self.result.transcript.append(TranscriptLine(self._clock.now(), speaker, text))

    # --- the dialogue ----------------------------------------------------------------------
    async def _dialogue(self, conversation: Conversation) -> None:
        event: DialogueEvent = CallAnswered(self._clock.now())
        while True:
            try:
                await self._decide_and_run(event)
            except CallOver as over:
                if over.reason == "caller_hung_up":
                    self._final_decide(conversation)
                raise
            try:
                event = await self._next_event(conversation)
            except CallOver:
                self._final_decide(conversation)
                raise

    def _final_decide(self, conversation: Conversation) -> None:
        """The policy's last word after the caller hung up (an outcome, records)."""
        for command in conversation.decide(CallerHungUp(self._clock.now())):
            if isinstance(command, Hangup):
                self.result.outcome = self.result.outcome or command.outcome
            elif not isinstance(command, Say | AskDTMF | TransferToAgent):
                self.result.records.append(command)

    async def _decide_and_run(self, event: DialogueEvent) -> None:
        assert self._conversation is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        commands = list(self._conversation.decide(event))
        decided = loop.time()
        timing, self._pending_timing = self._pending_timing, None
        first_audio: float | None = None
        tts_first_s: float | None = None
        try:
            for command in commands:
                if self._speaker.barged and isinstance(command, Say | AskDTMF):
                    continue  # the caller talks over us: the rest of this reply is not spoken
                at = await self._execute(command)
                if first_audio is None and at is not None:
                    first_audio, tts_first_s = at, at - self._speaker.started_at
                    self._reply_window(False)
        finally:
            self._reply_window(False)
            self._speaker.barged = False
            if timing is not None:
                lang = self._listener.lang
                done = timing.done(lang, decided - started, first_audio, tts_first_s)
                self.result.timings.append(done)

    async def _execute(self, command: DialogueCommand) -> float | None:
        """Run one command; returns when the first audio frame left (for Say)."""
        assert self._media is not None
        match command:
            case Say():
                return await self._say(self._media, command)
            case AskDTMF():
                self._keypad.expect(command)
            case TransferToAgent():
                transfer = self._transfer
                if transfer is None or not await transfer.run(
                    command, self._media, self.events, self.result
                ):
                    await self._decide_and_run(TransferFailed("no agent answered"))
            case Hangup():
                self.result.outcome = command.outcome
                with contextlib.suppress(AriError):
                    await self.control.hangup(self.channel_id)
                raise CallOver("bot_hung_up")
            case _:
                self.result.records.append(command)
        return None

    async def _say(self, media: CallMedia, command: Say) -> float | None:
        self._line("bot", command.text)
        played = await self._speaker.say(media.leg, command)
        if self._speaker.barged:
            self._pending_events.append(BargedIn(command.prompt_key))
            self._line("bot", "[interrupted]")
        return played.first_frame_at

    # --- listening -------------------------------------------------------------------------
    async def _next_event(self, conversation: Conversation) -> DialogueEvent:
        """Wait for the next thing the policy must know about."""
        if self._pending_events:
            return self._pending_events.pop(0)
        loop = asyncio.get_running_loop()
        deadline, in_speech = loop.time() + self._wait_s(), False
        while True:
            try:
                async with asyncio.timeout_at(None if in_speech else deadline):
                    signal = await self.events.get()
            except TimeoutError:
                timeout = self._wait_s()
                keyed = self._keypad.timed_out()
                return keyed if keyed is not None else SilenceTimedOut(timeout)
            match signal:
                case Vad(event=SpeechStarted()):
                    in_speech = True
                case Vad(event=SpeechEnded() as ended, at=at, voice_ended_at=voice_ended):
                    in_speech = False
                    self._reply_window(True)  # closed at the reply's first audio
                    heard = await self._hear(conversation, ended, at, voice_ended)
                    if heard is not None:
                        return heard
                    self._reply_window(False)
                    deadline = loop.time() + self._wait_s()  # noise, not words: wait again
                case AriEvent() as ari_event:
                    digits = len(self._keypad.digits)
                    event = self._from_ari(ari_event)
                    if event is not None:
                        return event
                    if len(self._keypad.digits) != digits:  # a digit: the timer restarts
                        deadline = loop.time() + self._wait_s()

    def _reply_window(self, opened: bool) -> None:
        if opened != self._in_reply:
            self._in_reply = opened
            (self._replies.enter if opened else self._replies.leave)()

    def _wait_s(self) -> float:
        return self._keypad.wait_s(self._settings.no_input_s)

    async def _hear(
        self, conversation: Conversation, ended: SpeechEnded, at: float, voice_ended: float | None
    ) -> UtteranceHeard | None:
        transcript = await self._listener.hear(ended, self._speaker.last_prompt)
        if transcript is None:
            return None
        loop = asyncio.get_running_loop()
        asr_done = loop.time()
        self._line("debtor", transcript.text)
        lang = self._listener.lang
        parse = conversation.understand(transcript.text, lang)
        nlu_s = loop.time() - asr_done
        voice_ended = at if voice_ended is None else voice_ended
        self._pending_timing = TurnClock(voice_ended, at, asr_done, nlu_s)
        # the recogniser's own confidence travels with the parse (None: it gave none)
        return UtteranceHeard(transcript.text, lang, parse.heard_with(transcript.confidence))

    def _from_ari(self, event: AriEvent) -> DialogueEvent | None:
        if event.channel_id != self.channel_id:
            return None
        if event.type in HANGUP_EVENTS:
            raise CallOver("caller_hung_up")
        if event.type == "ChannelDtmfReceived" and event.digit:
            self._line("dtmf", event.digit)
            return self._keypad.pressed(event.digit)
        return None


async def _ready_value(conversation: Conversation) -> Conversation:
    return conversation


def _ready(conversation: Conversation) -> ConversationSource:
    return lambda: _ready_value(conversation)
