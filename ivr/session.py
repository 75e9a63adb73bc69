"""One ``CallSession`` per answered call: media, listening, speaking, DTMF, transfer, clean-up.

The session owns one TaskGroup. It bridges the debtor's channel with an ExternalMedia channel
(RTP slin 8 kHz), records the bridge, and runs the dialogue: every call signal becomes a
``core.dialogue`` event for the ``Conversation`` (NLU + policy), whose commands it executes in
order. Speech is endpointed by VAD; speech over an interruptible prompt stops the prompt at
once (barge-in) and the policy sees ``BargedIn``. It ends on ``Hangup``, on the debtor's
hang-up (StasisEnd), on max duration, or on error, and always cleans up the bridge, the media
channel, the socket and its tasks.

The parts: ``SessionBase`` (ivr/session_base.py: state, inputs, helpers), ``Listening``
(ivr/listening.py: VAD, ASR, barge-in, DTMF), ``Transferring`` (ivr/transfer.py: the agent
leg); this module runs the call, the media set-up and clean-up, the dialogue and speaking.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from core.dialogue import (
    AskDTMF,
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Outcome,
    Say,
    TransferFailed,
    TransferToAgent,
)
from core.logging import get_logger
from ivr.calls import CallResult, TurnTiming
from ivr.errors import AriError, AriNotFound
from ivr.listening import Listening
from ivr.media import open_rtp_endpoint
from ivr.media.rtp import RATE
from ivr.session_base import HANGUP_EVENTS, CallOver, Media, Publish
from ivr.transfer import Transferring

__all__ = ["HANGUP_EVENTS", "CallSession", "Publish"]

log = get_logger(__name__)


class CallSession(Listening, Transferring):
    """Runs one call. ``deliver`` feeds it the ARI events of its channels (in order)."""

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
        except CallOver as over:  # the debtor hung up while the media was being set up
            self.result.end_reason = over.reason
            return
        except AriNotFound:  # a 404 while setting up: fine if the debtor has gone meanwhile
            if await self.ari.channel_exists(self.channel_id):
                raise
            self.result.end_reason = "caller_hung_up"
            return
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self._listen(self._media.endpoint), name=f"listen-{self.call_id}")
                await self._dialogue()
                raise CallOver("hangup")
        except* CallOver as group:
            self.result.end_reason = self.result.end_reason or str(group.exceptions[0])

    async def _open_media(self) -> Media:
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
            media = Media(endpoint, em_id, bridge.id, endpoint.sender(em.local_host, em.local_port))
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

    async def _cleanup(self) -> None:
        media, self._media = self._media, None
        # the session is over whatever ended it (error included): nobody may stay on the line
        await self._tidy("hangup", self.ari.hangup(self.channel_id))
        if media is None:
            return
        media.sender.stop()
        if self.result.recording:
            await self._tidy("stop_recording", self.ari.stop_recording(self.result.recording))
        legs = [media.em_id, *media.extra_legs, *filter(None, [self.result.agent_channel_id])]
        # the agent leg too: nobody is left to talk to once the debtor is gone
        for leg in dict.fromkeys(legs):
            await self._tidy("hangup", self.ari.hangup(leg))
        for bridge_id in [media.bridge_id, *media.extra_bridges]:
            await self._tidy("destroy_bridge", self.ari.destroy_bridge(bridge_id))
        media.endpoint.close()

    # --- the dialogue ----------------------------------------------------------------------
    async def _dialogue(self) -> None:
        event: DialogueEvent = CallAnswered(self._clock.now())
        while True:
            try:
                await self._decide_and_run(event)
            except CallOver as over:
                if over.reason == "caller_hung_up":
                    self._final_decide(CallerHungUp(self._clock.now()))
                raise
            try:
                event = await self._next_event()
            except CallOver:
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
                if not await self._transfer(command):
                    await self._decide_and_run(TransferFailed("no agent answered"))
            case Hangup():
                self.result.outcome = command.outcome
                with contextlib.suppress(AriError):
                    await self.ari.hangup(self.channel_id)
                raise CallOver("bot_hung_up")
            case _:
                self.result.records.append(command)
        return None

    async def _say(self, command: Say) -> float | None:
        assert self._media is not None
        self._line("bot", command.text)
        self._speaking, self._last_prompt = command, command.prompt_key
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
