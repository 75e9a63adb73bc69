"""Placing the dialer's calls through Asterisk (ARI) into the IVR application.

The channel id of every call is its attempt id, so Asterisk itself refuses a second originate
of the same attempt. The call is watched from the originate until it ends: a hang-up before
answer gives its cause (no answer, busy, invalid number, network failure); an answered call
runs as an IVR ``CallSession`` whose result says how the conversation went.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from core.clock import Clock
from core.dialogue import Outcome
from dialer.origination import CallOutcome, DialRequest, DialResult
from ivr.ari.client import AriClient
from ivr.call_watch import CallEnd, HungUpUnanswered

# Q.850 cause codes Asterisk reports on ChannelDestroyed
_NO_ANSWER = frozenset({18, 19, 21})  # no user responding, no answer, call rejected
_BUSY = frozenset({17})
_INVALID = frozenset({1, 3, 22, 28})  # unallocated, no route, number changed, invalid format
RIGHT_PARTY = frozenset(
    {
        Outcome.PROMISE_TO_PAY,
        Outcome.PAYMENT_PLAN,
        Outcome.ALREADY_PAID,
        Outcome.DISPUTE,
        Outcome.CALLBACK_SCHEDULED,
        Outcome.REFUSED,
        Outcome.TRANSFERRED,
        Outcome.CEASE_REQUESTED,
    }
)


class CallWatcher(Protocol):
    def watch(self, channel_id: str) -> asyncio.Future[CallEnd]:
        """A future resolved when the channel's call ends (answered or not)."""
        ...


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
    if isinstance(end, HungUpUnanswered):
        return DialResult(
            outcome_for_cause(end.cause, end.dial_status),
            clock.now(),
            detail={
                "cause": end.cause,
                "cause_text": end.cause_text,
                "dial_status": end.dial_status,
            },
        )
    outcome = end.outcome
    machine = outcome is None and "machine" in end.end_reason
    return DialResult(
        outcome=CallOutcome.MACHINE if machine else CallOutcome.ANSWERED,
        ended_at=end.ended_at or clock.now(),
        answered_at=end.started_at,
        right_party=outcome in RIGHT_PARTY,
        conversation=outcome in RIGHT_PARTY and outcome is not Outcome.REFUSED,
        disposition=outcome.value if outcome else (end.end_reason or "hung_up"),
        detail={  # replaces the detail the IVR's CallStore wrote: keep what it had too
            "recording": end.recording,
            "turns": len(end.timings),
            "call_id": end.call_id,
            "end_reason": end.end_reason,
            "processing_ms": [t.first_audio_ms for t in end.timings],
        },
    )


class AriOriginator:
    """An ``Originator`` over ARI; ``endpoint_for`` maps a number to a dial string."""

    def __init__(
        self,
        ari: AriClient,
        watcher: CallWatcher,
        clock: Clock,
        *,
        endpoint_for: Callable[[DialRequest], str],
        app: str,
        max_call_s: float = 3600.0,
    ) -> None:
        self._ari, self._watcher, self._clock = ari, watcher, clock
        self._endpoint_for, self._app, self._max_call_s = endpoint_for, app, max_call_s

    async def place(self, request: DialRequest) -> DialResult:
        ended = self._watcher.watch(request.attempt_id)
        try:
            await self._ari.originate(
                self._endpoint_for(request),
                app=self._app,
                app_args=("outbound", request.case_id, request.language),
                channel_id=request.attempt_id,
                timeout_s=max(int(request.ring_timeout_s), 15),
                variables=request.variables,
            )
            end = await asyncio.wait_for(ended, request.ring_timeout_s + self._max_call_s)
        finally:
            ended.cancel()
        return result_of(end, self._clock)
