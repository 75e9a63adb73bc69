"""Table-driven checks of the ARI originator's outcome mapping, the call watcher's handling of
``Dial`` and ``ChannelDestroyed`` events, and the serve wiring's small helpers (no I/O)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from core.clock import FixedClock
from core.dialogue import Outcome
from dialer.ari_originator import outcome_for_cause, result_of
from dialer.origination import CallOutcome, DialRequest
from dialer.wiring import endpoint_for
from ivr.ari.models import AriEvent
from ivr.call_watch import CallWatchers, HungUpUnanswered
from ivr.calls import CallResult
from ivr.errors import AlreadyWatched

NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cause", "status", "expected"),
    [
        (19, "NOANSWER", CallOutcome.NO_ANSWER),
        (18, "", CallOutcome.NO_ANSWER),
        (21, "", CallOutcome.NO_ANSWER),
        (17, "BUSY", CallOutcome.BUSY),
        (0, "BUSY", CallOutcome.BUSY),  # a Local channel: cause 0, the dial status tells
        (0, "CONGESTION", CallOutcome.FAILED),
        (0, "NOANSWER", CallOutcome.NO_ANSWER),
        (1, "NOANSWER", CallOutcome.INVALID_NUMBER),  # the cause wins when there is one
        (28, "", CallOutcome.INVALID_NUMBER),
        (34, "", CallOutcome.FAILED),
        (0, "", CallOutcome.FAILED),
    ],
)
def test_outcome_for_cause(cause: int, status: str, expected: CallOutcome) -> None:
    assert outcome_for_cause(cause, status) == expected


def test_result_of_an_answered_call() -> None:
    end = CallResult("a1", "a1", NOW, outcome=Outcome.PROMISE_TO_PAY, ended_at=NOW)
    result = result_of(end, FixedClock(NOW))
    assert result.outcome == CallOutcome.ANSWERED
    assert result.right_party
    assert result.conversation
    assert result.disposition == "promise_to_pay"
    assert result.dialogue is end  # the session's result travels whole, records and all
    assert result.answered_at == NOW
    wrong = result_of(CallResult("a2", "a2", NOW, outcome=Outcome.WRONG_NUMBER), FixedClock(NOW))
    assert not wrong.right_party
    assert wrong.disposition == "wrong_number"


def _event(kind: str, **raw: object) -> AriEvent:
    return AriEvent.from_json({"type": kind, "application": "t", **raw})


async def test_watcher_keeps_the_dial_status_until_the_channel_is_destroyed() -> None:
    watchers = CallWatchers()
    future = watchers.watch("c1")
    with pytest.raises(AlreadyWatched):
        watchers.watch("c1")
    watchers.unowned_event(_event("Dial", peer={"id": "c1"}, dialstatus="BUSY"))
    watchers.unowned_event(_event("Dial", peer={"id": "other"}, dialstatus="ANSWER"))
    assert not future.done()
    watchers.unowned_event(_event("ChannelDestroyed", channel={"id": "c1"}, cause=0))
    assert future.result() == HungUpUnanswered(0, "", "BUSY")
    await asyncio.sleep(0)
    watchers.watch("c1")  # the finished watch is forgotten: a new one may start


@pytest.mark.parametrize(
    ("state", "status", "answered"),
    [("Up", "", True), ("Ring", "ANSWER", True), ("Down", "", False), ("Ringing", "BUSY", False)],
)
async def test_a_channel_destroyed_up_before_the_ivr_took_it_was_answered(
    state: str, status: str, answered: bool
) -> None:
    watchers = CallWatchers()
    future = watchers.watch("c1")
    if status:
        watchers.unowned_event(_event("Dial", peer={"id": "c1"}, dialstatus=status))
    watchers.unowned_event(
        _event("ChannelDestroyed", channel={"id": "c1", "state": state}, cause=16)
    )
    end = future.result()
    assert isinstance(end, HungUpUnanswered)
    assert end.answered is answered
    result = result_of(end, FixedClock(NOW))
    # a hang-up racing the answer (cause 16, normal clearing) is never a network failure
    expected = CallOutcome.ANSWERED if answered else CallOutcome.FAILED
    if status == "BUSY":
        expected = CallOutcome.FAILED  # cause 16 wins over the dial status
    assert result.outcome is expected
    assert (result.answered_at is not None) is answered
    assert result.dialogue is None
    assert result.disposition is None


def test_endpoint_template() -> None:
    request = DialRequest("att1", "case-7", "camp", "+15550100", "en", 25.0)
    assert endpoint_for("PJSIP/{number}@trunk")(request) == "PJSIP/15550100@trunk"
    assert endpoint_for("PJSIP/trunk/sip:{phone}@gw")(request) == "PJSIP/trunk/sip:+15550100@gw"
    assert endpoint_for("Local/{number}@sim-debtor/n")(request) == "Local/15550100@sim-debtor/n"
