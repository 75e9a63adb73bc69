"""The transfer of a call to an agent (a part of ``CallSession``).

Pick the agent (``AgentDesk``: an available agent who speaks the call's language, the case's
own agent first; nobody free -> ``IVR_AGENT_ENDPOINT``, a queue), originate their leg, bridge
it with the debtor, take the bot's media leg out, publish ``TransferStarted`` (the agent's
screen-pop), then, while the agent talks, transcribe the debtor (a snoop channel of the
debtor's voice bridged with the bot's ExternalMedia channel) and publish each line, until
either side hangs up. No answer in time -> False (the policy apologises, books a callback).
The agent is marked ``on_call`` when picked, ``wrap_up`` after the call (``available`` again
if their leg never answered). Live publishing is best effort: a dead Redis is logged
(``ivr.transfer_publish_failed``) and the call goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from asr.vad import SpeechEnded
from core.clock import Clock
from core.dialogue import Lang, Outcome, TransferToAgent
from core.logging import get_logger
from ivr.ari.models import AriEvent
from ivr.call_control import CallControl
from ivr.call_events import HANGUP_EVENTS, CallEvents, CallOver, Vad
from ivr.calls import CallResult, TranscriptLine, TransferStarted
from ivr.errors import AriError
from ivr.listener import Listener
from ivr.media_leg import CallMedia
from ivr.settings import IvrSettings
from ivr.transfer_desk import AgentDesk, AgentPick, LiveFeed

log = get_logger(__name__)
PICK_TIMEOUT_S = 5.0
RELEASE_TIMEOUT_S = 30.0
PUBLISH_TIMEOUT_S = 2.0

Publish = Callable[[TransferStarted], Awaitable[None]]


class AgentTransfer:
    """Hands one call's debtor to an agent; ``run`` returns False when no agent answered."""

    def __init__(
        self,
        *,
        control: CallControl,
        channel_id: str,
        lang: Lang,
        listener: Listener,
        clock: Clock,
        settings: IvrSettings,
        claim: Callable[[str], None] = lambda _id: None,
        case_id: str | None = None,
        desk: AgentDesk | None = None,
        publish: Publish | None = None,
        live: LiveFeed | None = None,
    ) -> None:
        self.control, self.channel_id, self.call_id, self.lang = (
            control,
            channel_id,
            channel_id,
            lang,
        )
        self._listener, self._clock, self._settings, self._claim = listener, clock, settings, claim
        self._case_id, self._desk, self._publish, self._live = case_id, desk, publish, live

    async def run(
        self, command: TransferToAgent, media: CallMedia, events: CallEvents, result: CallResult
    ) -> bool:
        """Hand the debtor to an agent; False when no agent answered in time. Once an agent
        answered, it returns only by ``CallOver`` (either side hung up)."""
        picking = self._start_pick()
        pick, answered = None, False
        try:
            pick = await self._picked(picking)
            call = await self._connect_agent(command, pick, media, events, result)
            if call is None:
                return False
            answered = True
            if pick is not None:
                await self._assign(pick.agent_id)
            await self._tell("screen_pop", self._publish(call) if self._publish else None)
            await self._while_agent_on(call, media, events, result)
        finally:
            if picking is not None:
                await asyncio.shield(self._release(picking, answered and pick is not None))
        return True

    def _start_pick(self) -> asyncio.Task[AgentPick | None] | None:
        if self._desk is None:
            return None
        return asyncio.create_task(self._desk.pick(self._case_id, self.lang))

    async def _picked(self, picking: asyncio.Task[AgentPick | None] | None) -> AgentPick | None:
        """The agent, or None (the queue) when nobody is free or the desk fails or is slow."""
        if picking is None:
            return None
        try:
            async with asyncio.timeout(PICK_TIMEOUT_S):
                pick = await asyncio.shield(picking)  # a late pick is released afterwards
        except Exception as e:  # a broken desk must not break the call: the queue takes it
            log.warning("ivr.agent_pick_failed", call_id=self.call_id, error=repr(e))
            return None
        log.info("ivr.agent_picked", call_id=self.call_id, agent_id=pick.agent_id if pick else None)
        return pick

    async def _assign(self, agent_id: str) -> None:
        """The case becomes the agent's before their console pops (so they may open it)."""
        assert self._desk is not None
        try:
            async with asyncio.timeout(PICK_TIMEOUT_S):
                await self._desk.connected(agent_id, self._case_id, self.call_id)
        except Exception as e:  # the call goes on; the case keeps its owner
            log.warning("ivr.agent_assign_failed", call_id=self.call_id, error=repr(e))

    async def _release(self, picking: asyncio.Task[AgentPick | None], talked: bool) -> None:
        """The picked agent (even one picked too late to be used) is free again."""
        assert self._desk is not None
        try:
            async with asyncio.timeout(RELEASE_TIMEOUT_S):
                pick = await picking
        except Exception:  # no agent was claimed (logged as ivr.agent_pick_failed)
            return
        try:
            async with asyncio.timeout(RELEASE_TIMEOUT_S):
                if pick is not None:
                    await self._desk.release(pick.agent_id, talked=talked)
        except Exception as e:
            log.warning("ivr.agent_release_failed", call_id=self.call_id, error=repr(e))

    async def _connect_agent(
        self,
        command: TransferToAgent,
        pick: AgentPick | None,
        media: CallMedia,
        events: CallEvents,
        result: CallResult,
    ) -> TransferStarted | None:
        """The agent's leg, answered and bridged with the debtor (None: no answer)."""
        leg = f"{self.call_id}-agent"
        self._claim(leg)
        media.extra_legs.append(leg)  # the clean-up hangs it up, whatever happens
        endpoint = pick.endpoint if pick else self._settings.agent_endpoint
        timeout_s = self._settings.agent_answer_timeout_s
        try:
            await self.control.originate(
                endpoint, app_args=["agent", self.call_id], channel_id=leg,
                other_channel_id=f"{leg}-2", timeout_s=int(timeout_s),
            )  # fmt: skip
            await events.wait_ari("StasisStart", leg, timeout_s)
        except (TimeoutError, AriError, CallOver) as e:
            with contextlib.suppress(AriError):
                await asyncio.shield(self.control.hangup(leg))
            if isinstance(e, CallOver):
                raise
            log.warning("ivr.agent_no_answer", call_id=self.call_id, error=repr(e))
            return None
        await self.control.add_to_bridge(media.bridge_id, [leg])
        await self.control.remove_from_bridge(media.bridge_id, [media.em_id])
        if not self._keeps_listening():
            with contextlib.suppress(AriError):
                await self.control.hangup(media.em_id)
        result.outcome = Outcome.TRANSFERRED
        result.agent_channel_id = leg
        result.agent_id = pick.agent_id if pick else None
        transcript = tuple(result.transcript)
        return TransferStarted(
            self.call_id, leg, command.reason, command.summary, transcript,
            case_id=self._case_id, agent_id=result.agent_id,
        )  # fmt: skip

    def _keeps_listening(self) -> bool:
        return self._live is not None and self._settings.agent_live_transcript

    async def _tell(self, what: str, send: Awaitable[None] | None) -> None:
        """Publish to the agent's console, best effort: the call never waits long for it."""
        if send is None:
            return
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await send
        except Exception as e:  # live views are best effort; the database stays the record
            log.warning(
                "ivr.transfer_publish_failed", call_id=self.call_id, what=what, error=repr(e)
            )

    async def _while_agent_on(
        self, call: TransferStarted, media: CallMedia, events: CallEvents, result: CallResult
    ) -> None:
        """Until the debtor or the agent hangs up (raises ``CallOver``)."""
        reason = "caller_hung_up"
        try:
            listening = self._keeps_listening() and await self._snoop_debtor(media, events)
            reason = await self._until_leg_ends(call, listening, events, result)
        finally:
            if self._live is not None:
                await asyncio.shield(self._tell("ended", self._live.ended(call, reason)))
        raise CallOver(reason)

    async def _snoop_debtor(self, media: CallMedia, events: CallEvents) -> bool:
        """The debtor's voice (a snoop channel) into the bot's ExternalMedia leg."""
        snoop_id = f"{self.call_id}-snoop"
        self._claim(snoop_id)
        try:
            await self.control.snoop(
                self.channel_id, spy="in", snoop_id=snoop_id, app_args=["snoop", self.call_id]
            )
            media.extra_legs.append(snoop_id)
            await events.wait_ari("StasisStart", snoop_id, 5.0)
            bridge = await self.control.create_bridge(bridge_id=f"{self.call_id}-live")
            media.extra_bridges.append(bridge.id)
            await self.control.add_to_bridge(bridge.id, [snoop_id, media.em_id])
        except (AriError, TimeoutError) as e:
            log.warning("ivr.live_transcript_failed", call_id=self.call_id, error=repr(e))
            return False
        return True

    async def _until_leg_ends(
        self, call: TransferStarted, listening: bool, events: CallEvents, result: CallResult
    ) -> str:
        legs = {self.channel_id, call.agent_channel_id}
        while True:
            match await events.get():
                case AriEvent() as event if event.channel_id in legs:
                    if event.type in HANGUP_EVENTS:
                        agent = event.channel_id == call.agent_channel_id
                        return "agent_hung_up" if agent else "caller_hung_up"
                case Vad(event=SpeechEnded() as ended) if listening:
                    await self._live_line(call, ended, result)
                case _:
                    pass

    async def _live_line(
        self, call: TransferStarted, ended: SpeechEnded, result: CallResult
    ) -> None:
        transcript = await self._listener.transcribe(ended)
        if transcript is None or self._live is None:
            return
        line = TranscriptLine(self._clock.now(), "debtor", transcript.text)
        result.transcript.append(line)
        await self._tell("line", self._live.line(call, line))
