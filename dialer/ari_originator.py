"""Placing the dialer's calls through Asterisk (ARI) into the IVR application.

The channel id of every call is its attempt id, so Asterisk itself refuses a second originate
of the same attempt. The call is watched from the originate until it ends: a hang-up before
answer gives its cause (no answer, busy, invalid number, network failure); an answered call
runs as an IVR ``CallSession`` whose result says how the conversation went.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal, Protocol

from core.clock import Clock
from core.dialogue import Outcome
from core.logging import get_logger
from dialer.origination import CallOutcome, DialRequest, DialResult
from dialer.settings import DialerSettings
from ivr.ari.client import AriClient
from ivr.call_control import tidy
from ivr.call_watch import CallEnd, HungUpUnanswered
from ivr.errors import AriError, AriNotFound, AriTimeout
from ivr.stasis_args import StasisArgs

log = get_logger(__name__)

# Q.850 cause codes Asterisk reports on ChannelDestroyed
_NO_ANSWER = frozenset({18, 19, 21})  # no user responding, no answer, call rejected
_BUSY = frozenset({17})
_INVALID = frozenset({1, 3, 22, 28})  # unallocated, no route, number changed, invalid format


@dataclass(frozen=True, slots=True)
class Liveness:
    """When a placed call whose end never arrived is looked up in Asterisk (seconds)."""

    first_after_ring_s: float = 5.0
    every_s: float = 30.0
    grace_s: float = 30.0  # gone from Asterisk, and still no end event: ended as failed
    # an originate that timed out: Asterisk is asked so many times, so far apart, whether it
    # made the channel (the request may never have left, or may be carried out late)
    originate_asks: int = 3
    originate_ask_every_s: float = 1.0
    # DIALER_AMD=asterisk: a given-up originate's channel runs the dialplan (ringing, then AMD)
    # before it reaches the app, so the app hears nothing of it while it rings; Asterisk is
    # asked for it every ``given_up_poll_s`` for ``given_up_watch_s`` more, and it is hung up
    # if it comes (a late originate is carried out within seconds of its timeout)
    given_up_watch_s: float = 30.0
    given_up_poll_s: float = 0.5


class CallWatcher(Protocol):
    def watch(self, channel_id: str) -> asyncio.Future[CallEnd]:
        """A future resolved when the channel's call ends (answered or not)."""
        ...

    def give_up(self, channel_id: str) -> None:
        """The call is recorded failed: should the channel appear after all, hang it up."""
        ...


Carried = Literal["yes", "no", "unknown"]


_DIAL_STATUS = {
    "BUSY": CallOutcome.BUSY,
    "NOANSWER": CallOutcome.NO_ANSWER,
    "CONGESTION": CallOutcome.FAILED,
    "CHANUNAVAIL": CallOutcome.FAILED,
}


def outcome_for_cause(cause: int, dial_status: str = "") -> CallOutcome:
    """Q.850 cause first; a Local channel ends with cause 0 and only the dial status tells."""
    if cause == 0 and dial_status in _DIAL_STATUS:
        return _DIAL_STATUS[dial_status]
    if cause in _NO_ANSWER:
        return CallOutcome.NO_ANSWER
    if cause in _BUSY:
        return CallOutcome.BUSY
    if cause in _INVALID:
        return CallOutcome.INVALID_NUMBER
    return CallOutcome.FAILED


def result_of(end: CallEnd, clock: Clock) -> DialResult:
    """The line's facts of a finished call; an answered one carries the session's result.

    A channel destroyed up (answered) before any session took it (the debtor hung up during
    AMD, or as the call reached the app) was answered: it is never a network failure."""
    if isinstance(end, HungUpUnanswered):
        now = clock.now()
        detail = {"cause": end.cause, "cause_text": end.cause_text, "dial_status": end.dial_status}
        if end.answered:
            return DialResult(
                CallOutcome.ANSWERED, now, answered_at=now, detail={**detail, "before_ivr": True}
            )
        return DialResult(outcome_for_cause(end.cause, end.dial_status), now, detail=detail)
    outcome = end.outcome
    machine = outcome is Outcome.MACHINE or (outcome is None and "machine" in end.end_reason)
    return DialResult(
        outcome=CallOutcome.MACHINE if machine else CallOutcome.ANSWERED,
        ended_at=end.ended_at or clock.now(),
        answered_at=end.started_at,
        dialogue=end,
        detail={"turns": len(end.timings), "call_id": end.call_id},
    )


class AriOriginator:
    """An ``Originator`` over ARI; ``endpoint_for`` maps a number to a dial string.

    ``amd``: ``heuristic`` / ``off`` originate straight into the Stasis app with ``amd=<mode>``
    as the fourth app argument; ``asterisk`` originates into the dialplan context
    ``amd_context`` (``s``, 1), which runs ``AMD()`` once the far end answers and then enters
    the app with ``ivr.stasis_args.AMD_DIALPLAN_ARGS`` (the case, language, script, transfer
    permission and app travel as channel variables; ``StasisArgs`` parses both forms). The app
    is subscribed to that channel right after the originate, so a call that ends unanswered is
    still seen (with its cause)."""

    def __init__(
        self,
        ari: AriClient,
        watcher: CallWatcher,
        clock: Clock,
        *,
        endpoint_for: Callable[[DialRequest], str],
        app: str,
        max_call_s: float = 3600.0,
        amd: str | None = None,
        amd_context: str | None = None,
        liveness: Liveness | None = None,
    ) -> None:
        self._ari, self._watcher, self._clock = ari, watcher, clock
        self._liveness = liveness or Liveness()
        self._endpoint_for, self._app, self._max_call_s = endpoint_for, app, max_call_s
        if amd is None or amd_context is None:  # not wired explicitly: DIALER_AMD, ...
            settings = DialerSettings()
            amd, amd_context = amd or settings.amd, amd_context or settings.amd_context
        self._amd, self._amd_context = amd, amd_context

    async def place(self, request: DialRequest) -> DialResult:
        ended = self._watcher.watch(request.attempt_id)
        try:
            if self._amd == "asterisk":
                gone = await self._originate_via_amd(request, ended)
                if gone is not None:
                    return gone
            else:
                failed = await self._settled(request, ended, lambda: self._ari.originate(
                    self._endpoint_for(request),
                    app=self._app,
                    app_args=StasisArgs.outbound(
                        request.case_id,
                        request.language,
                        self._amd,
                        script=request.script,
                        transfers=request.agents_take_transfers,
                    ).format(),
                    channel_id=request.attempt_id,
                    timeout_s=max(int(request.ring_timeout_s), 15),
                    variables=request.variables,
                ))  # fmt: skip
                if failed is not None:
                    return failed
            end = await self._until_ended(ended, request)
        finally:
            ended.cancel()
        return end if isinstance(end, DialResult) else result_of(end, self._clock)

    async def _settled(
        self,
        request: DialRequest,
        ended: asyncio.Future[CallEnd],
        originate: Callable[[], Awaitable[object]],
    ) -> DialResult | None:
        """The originate; None when the call was placed (or may have been: it is then watched
        like any other), a failed result when it surely was not.

        An originate that timed out may never have reached Asterisk, or may be carried out
        late: the dialer once recorded such calls failed while they went on (a conversation
        nobody's result kept, a case the rules could dial again). The channel's id is the
        attempt's, so Asterisk is asked for it: there (or its events came), the call goes on
        and its own end is its one result; absent each time, the attempt fails here, the rules
        decide the next one, and a channel that appears later all the same is hung up at its
        first event (``CallWatcher.give_up``). No answer at all: watched as placed (the
        liveness checks end it as vanished if it never was)."""
        try:
            await originate()
        except AriTimeout as e:
            carried = await self._carried_out(request.attempt_id, ended)
            log.warning(
                "dialer.originate_timed_out",
                attempt_id=request.attempt_id,
                carried_out=carried,
                error=str(e),
            )
            if carried != "no":
                return None
            self._watcher.give_up(request.attempt_id)
            detail = {"reason": "originate_timed_out", "note": "Asterisk had no such channel"}
            return DialResult(CallOutcome.FAILED, self._clock.now(), detail=detail)
        return None

    async def _carried_out(self, channel_id: str, ended: asyncio.Future[CallEnd]) -> Carried:
        live = self._liveness
        verdict: Carried = "unknown"
        for ask in range(live.originate_asks):
            if ask:  # a late originate comes with events: wake up on them
                await asyncio.wait([ended], timeout=live.originate_ask_every_s)
            if ended.done():
                return "yes"
            try:
                if await self._ari.channel_exists(channel_id):
                    return "yes"
                verdict = "no"
            except AriError as e:
                log.info("dialer.originate_check_failed", attempt_id=channel_id, error=str(e))
        return "yes" if ended.done() else verdict

    async def _until_ended(
        self, ended: asyncio.Future[CallEnd], request: DialRequest
    ) -> CallEnd | DialResult:
        """The call's end as its events tell it. A channel gone from Asterisk without its end
        ever reaching us (events lost: another connection took the app, a restart) would hold a
        dialer line for ``max_call_s``; so after the ring time, and then every ``every_s``, the
        channel is looked up, and one gone for ``grace_s`` without an end is ended here."""
        loop = asyncio.get_running_loop()
        live = self._liveness
        deadline = loop.time() + request.ring_timeout_s + self._max_call_s
        wait = request.ring_timeout_s + live.first_after_ring_s
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"call {request.attempt_id} outlived max_call_s")
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(ended), min(wait, remaining))
            wait = live.every_s
            if await self._channel_exists(request.attempt_id):
                continue
            with contextlib.suppress(TimeoutError):  # its end may still be on the way
                return await asyncio.wait_for(asyncio.shield(ended), live.grace_s)
            log.warning("dialer.channel_vanished", attempt_id=request.attempt_id)
            detail = {"reason": "channel_vanished", "note": "no end event; outcome unknown"}
            return DialResult(CallOutcome.FAILED, self._clock.now(), detail=detail)

    async def _channel_exists(self, channel_id: str) -> bool:
        try:
            return await self._ari.channel_exists(channel_id)
        except AriError as e:  # Asterisk unreachable: no verdict, keep waiting for events
            log.warning("dialer.channel_check_failed", attempt_id=channel_id, error=str(e))
        return True

    async def _originate_via_amd(
        self, request: DialRequest, ended: asyncio.Future[CallEnd]
    ) -> DialResult | None:
        """Originate into the AMD context; a result only if the call was over before the app
        could subscribe to it (its cause is then unknown)."""
        variables = {
            **request.variables,
            "COLLECTBOT_APP": self._app,
            "COLLECTBOT_CASE": request.case_id,
            "COLLECTBOT_LANG": request.language,
            "COLLECTBOT_SCRIPT": request.script,
            "COLLECTBOT_TRANSFERS": "yes" if request.agents_take_transfers else "no",
        }
        failed = await self._settled(request, ended, lambda: self._ari.originate(
            self._endpoint_for(request),
            dialplan=(self._amd_context, "s", 1),
            channel_id=request.attempt_id,
            timeout_s=max(int(request.ring_timeout_s), 15),
            variables=variables,
        ))  # fmt: skip
        if failed is not None:
            await self._hang_up_if_it_comes(request.attempt_id)
            return failed
        try:
            await self._ari.subscribe(f"channel:{request.attempt_id}", self._app)
        except AriError as e:  # 422 "Event source does not exist": it failed within ~ms
            if not isinstance(e, AriNotFound) and e.status != 422:
                raise
            log.warning("dialer.amd_call_gone_before_watch", attempt_id=request.attempt_id)
            return DialResult(
                CallOutcome.FAILED, self._clock.now(), detail={"reason": "ended_before_watch"}
            )
        return None

    async def _hang_up_if_it_comes(self, channel_id: str) -> None:
        """A given-up originate into the AMD dialplan: should Asterisk carry it out late, its
        channel rings, is answered and runs AMD before it reaches the app, and the app is not
        subscribed to it, so the router would hear of it only then (the person answers and is
        hung up at once). So Asterisk is asked for it a while longer (``given_up_watch_s``) and
        it is hung up while it rings. The line stays held meanwhile: a late call would use it."""
        live = self._liveness
        loop = asyncio.get_running_loop()
        deadline = loop.time() + live.given_up_watch_s
        while loop.time() < deadline:
            await asyncio.sleep(live.given_up_poll_s)
            try:
                channel = await self._ari.get_channel(channel_id)
            except AriNotFound:
                continue
            except AriError as e:  # a loaded Asterisk: ask again next time
                log.info("dialer.given_up_check_failed", attempt_id=channel_id, error=str(e))
                continue
            log.warning("dialer.given_up_call_hung_up", attempt_id=channel_id, state=channel.state)
            if await tidy(channel_id, "given_up_hangup", partial(self._ari.hangup, channel_id)):
                return
