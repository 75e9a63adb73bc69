"""The IVR application: one event stream, ordered dispatch, one ``CallSession`` per call.

``StasisStart`` of a channel whose first app argument is ``outbound`` or ``inbound`` starts a
session (made by the injected factory); every later event of that channel, and of the
channels the session claims (its ExternalMedia and agent legs), is delivered to it in order.
After an event-websocket reconnect, sessions whose channel vanished meanwhile are ended.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from functools import partial

from core.call_end import LINE_LOST
from core.logging import get_logger
from ivr.ari.client import AriClient
from ivr.ari.dispatch import OrderedDispatcher
from ivr.ari.events import AriEventStream, ResyncReport
from ivr.ari.models import AriEvent, Channel
from ivr.call_control import tidy
from ivr.call_watch import CallWatchers
from ivr.calls import CallResult
from ivr.session import CallSession
from ivr.settings import AriSettings
from ivr.stasis_args import StasisArgs

log = get_logger(__name__)
RELEASED_KEPT = 1000  # ended sessions' leg ids remembered (a few per call)
# a leg of an ended session still up this long after its end is hung up (its own hang-up was
# lost: a request that timed out on a loaded Asterisk, a leg that came up after the undo)
LINGER_S = 5.0
LINGER_ROUNDS = 6  # so many rounds of hang-ups of a lingering leg before it is given up

SessionFactory = Callable[[Channel, tuple[str, ...], Callable[[str], None]], CallSession]
ResultSink = Callable[[CallResult], Awaitable[None]]


class IvrApp:
    """Runs until cancelled; ``results`` receives every finished call's ``CallResult``."""

    def __init__(
        self,
        settings: AriSettings,
        ari: AriClient,
        factory: SessionFactory,
        on_result: ResultSink | None = None,
        *,
        linger_s: float = LINGER_S,
    ) -> None:
        self._settings, self.ari, self._factory = settings, ari, factory
        self._on_result, self._linger_s = on_result, linger_s
        self._up: set[str] = set()  # our legs in the app: StasisStart seen, no end yet
        self._owners: dict[str, CallSession] = {}
        self._tg: asyncio.TaskGroup | None = None
        self.stream: AriEventStream | None = None
        self.ready = asyncio.Event()
        self.active: dict[str, CallSession] = {}
        self._lost: set[str] = set()  # channels that vanished while we were disconnected
        # the legs of ended sessions, newest last (bounded: a late leg comes within seconds)
        self._released: OrderedDict[str, None] = OrderedDict()
        self.watchers = CallWatchers()

    async def run(self) -> None:
        async with OrderedDispatcher(self._on_event) as dispatcher, asyncio.TaskGroup() as tg:
            self._tg = tg
            self.stream = AriEventStream(
                self._settings, self.ari, dispatcher.submit, on_resync=self._on_resync
            )
            tg.create_task(self.stream.run(), name="ari-events")
            await self.stream.connected.wait()
            self.ready.set()

    async def _on_event(self, event: AriEvent) -> None:
        channel_id = event.channel_id
        if channel_id is not None and event.type in ("StasisEnd", "ChannelDestroyed"):
            self._up.discard(channel_id)
        if event.type in ("RecordingFinished", "RecordingFailed"):
            self._recording_ended(event)
            return
        given_up = None if channel_id in self._owners else self.watchers.given_up_call(event)
        if given_up is not None:  # never a session; hung up at its first sign and on entering
            given_up_id, asked = given_up
            if event.type == "ChannelDestroyed":
                self.watchers.forget_given_up(given_up_id)
            elif event.type == "StasisStart" or (not asked and event.type != "StasisEnd"):
                await self._hang_up_given_up(given_up_id, event.type)
            return
        if channel_id is None:
            if event.type == "Dial":  # an originated channel's progress (peer, no channel)
                self.watchers.unowned_event(event)
            return
        owner = self._owners.get(channel_id)
        if owner is not None:
            if event.type == "StasisStart":
                self._up.add(channel_id)
            owner.deliver(event)
            if event.type == "ChannelDestroyed":
                self._owners.pop(channel_id, None)
            return
        channel = event.channel
        if event.type == "StasisStart" and channel and StasisArgs.parse(event.args):
            self._start(channel, event.args)
        elif event.type == "StasisStart" and channel_id in self._released:
            await self._orphan(channel_id)
        else:
            self.watchers.unowned_event(event)

    async def _hang_up_given_up(self, channel_id: str, seen: str) -> None:
        """A call the dialer gave up on (its originate timed out, Asterisk had no such channel,
        the attempt is recorded failed and the rules place the next one) came to life after
        all: hung up at its first sign, ringing or answered, before anything is said."""
        log.warning("ivr.given_up_call_hung_up", channel_id=channel_id, seen=seen)
        if await tidy(channel_id, "given_up_hangup", partial(self.ari.hangup, channel_id)):
            self.watchers.hang_up_asked(channel_id)  # else its next event asks again

    async def _orphan(self, channel_id: str) -> None:
        """A leg of a session that is over entered the app (every leg a session makes is claimed
        before it is asked for): e.g. an ExternalMedia request that timed out and that Asterisk
        carried out after the session undid it. Nobody would ever hang it up (the soak found such
        channels left after the drain)."""
        log.warning("ivr.orphan_leg_hung_up", channel_id=channel_id)
        await tidy(channel_id, "orphan_hangup", partial(self.ari.hangup, channel_id))

    async def _sweep(self, call_id: str, legs: list[str]) -> None:
        """Hang up the legs of an ended session that are still up ``linger_s`` later: nobody
        talks on them any more (the soak found channels left after its drain). A hang-up that
        times out again is tried again a round later, until Asterisk says the leg is gone."""
        for _ in range(LINGER_ROUNDS):
            await asyncio.sleep(self._linger_s)
            lingering = [leg for leg in legs if leg in self._up and leg not in self._owners]
            if not lingering:
                return
            for leg in lingering:
                log.warning("ivr.lingering_leg_hung_up", call_id=call_id, channel_id=leg)
                if await tidy(call_id, "lingering_hangup", partial(self.ari.hangup, leg)):
                    self._up.discard(leg)  # gone now, or already gone without our hearing of it
        for leg in [leg for leg in legs if leg in self._up and leg not in self._owners]:
            log.error("ivr.lingering_leg_left", call_id=call_id, channel_id=leg)
            self._up.discard(leg)  # the set stays bounded (Asterisk's TIMEOUT(absolute) ends it)

    def _recording_ended(self, event: AriEvent) -> None:
        """A call's recording ended while its session had not stopped it: Asterisk cut it short
        (its spool full: "Bad write ... No space left on device" in its log, and the event is a
        plain ``RecordingFinished``). The call goes on unrecorded; its result says so."""
        recording = event.recording
        if recording is None:
            return
        for session in self.active.values():
            if session.result.recording == recording.name and not session.closing:
                raw = event.raw.get("recording")
                seconds = raw.get("duration") if isinstance(raw, dict) else None
                session.result.recording_cut = (
                    f"the PBX ended the recording {seconds if seconds is not None else '?'} s in"
                    f" while the call went on ({event.type}, state {recording.state})"
                )
                log.error("ivr.recording_cut", call_id=session.call_id, duration_s=seconds)
                return

    def _start(self, channel: Channel, args: tuple[str, ...]) -> None:
        assert self._tg is not None

        def claim(other_id: str) -> None:
            self._owners[other_id] = session

        session = self._factory(channel, args, claim)
        self._owners[channel.id] = session
        self._up.add(channel.id)
        self.active[channel.id] = session
        self._tg.create_task(self._run_session(session), name=f"call-{channel.id}")

    async def _run_session(self, session: CallSession) -> None:
        try:
            result = await session.run()
        except Exception as e:  # one call's failure must not end the others
            log.exception("ivr.call_failed", call_id=session.call_id, error=repr(e))
            result = session.result
            result.end_reason = f"error: {e!r}"
        finally:
            if session.channel_id in self._lost:  # gone with Asterisk, not hung up by anyone
                self._lost.discard(session.channel_id)
                session.result.end_reason = LINE_LOST
            self.active.pop(session.channel_id, None)
            legs = [k for k, v in self._owners.items() if v is session]
            for key in legs:
                del self._owners[key]
                self._released[key] = None
            while len(self._released) > RELEASED_KEPT:
                self._released.popitem(last=False)
            if self._tg is not None and any(leg in self._up for leg in legs):
                self._tg.create_task(self._sweep(session.call_id, legs), name="ivr-linger")
        try:  # the call's end is recorded first (once), then the dialer learns it
            if self._on_result is not None:
                await self._on_result(result)
        except Exception as e:  # a failed write must not end the other calls
            log.exception("ivr.result_sink_failed", call_id=session.call_id, error=repr(e))
        finally:
            self.watchers.finished(result)

    async def _on_resync(self, report: ResyncReport) -> None:
        for channel_id in report.vanished_channel_ids:
            self._up.discard(channel_id)
            session = self.active.get(channel_id)
            if session is not None:
                log.warning("ivr.orphan_ended", call_id=session.call_id)
                self._lost.add(channel_id)
                session.deliver(
                    AriEvent.from_json(
                        {
                            "type": "StasisEnd",
                            "application": self._settings.app,
                            "channel": {"id": channel_id},
                        }
                    )
                )
