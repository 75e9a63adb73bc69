"""Through the real worker (Redis Streams, the ledger, the guard) with a scripted phone standing
in for Asterisk, and the IVR reporting each answered call first as it does in ``Telephony``:
every behaviour ends with its own outcome and next action, written once, never overwritten by
the dialer's retry (the bug: a wrong number stored as ``failed``, callbacks and payment checks
replaced by now + 3 days). Two workers share the campaign; run twice over fresh data."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from test_dialer_redis import NOW, attempts, campaign_db, queue, us_cases, worker

from core.clock import FixedClock
from core.dialogue import (
    DialogueCommand,
    Outcome,
    RecordAlreadyPaid,
    RecordDispute,
    RecordPromise,
    ScheduleCallback,
)
from core.money import Money
from data.crypto import Keyring
from data.db import Database
from data.models import AuditEntry, Case, DebtorPhone
from dialer.call_end import CallEnding
from dialer.origination import CallOutcome, DialRequest, DialResult
from dialer.queue import DialQueue
from ivr.calls import CallResult

__all__ = ["campaign_db", "queue"]
CALLBACK_AT = NOW + timedelta(days=2, hours=1)
DUE = date(2026, 12, 8)
# behaviour -> (what the dialogue said, the outcome stored, the next action's channel)
BEHAVIOURS: dict[str, tuple[tuple[Outcome, tuple[DialogueCommand, ...]] | None, str, str]] = {
    "promise": ((Outcome.PROMISE_TO_PAY, (RecordPromise(Money.of("50", "USD"), DUE),)),
                "promise_to_pay", "promise_check"),
    "callback": ((Outcome.CALLBACK_SCHEDULED, (ScheduleCallback(CALLBACK_AT, "wednesday"),)),
                 "callback_scheduled", "call"),
    "paid": ((Outcome.ALREADY_PAID, (RecordAlreadyPaid(date(2026, 11, 27), "bank"),)),
             "already_paid", "verify_payment"),
    "wrong": ((Outcome.WRONG_NUMBER, ()), "wrong_number", "none"),  # or another number
    "dispute": ((Outcome.DISPUTE, (RecordDispute("not mine"),)), "dispute", "none"),
    "no_answer": (None, "no_answer", "call"),
    "busy": (None, "busy", "call"),
    "race": (None, "hung_up", "call"),  # answered, hung up before the IVR took the channel
}  # fmt: skip
LINE = {"no_answer": CallOutcome.NO_ANSWER, "busy": CallOutcome.BUSY, "race": CallOutcome.ANSWERED}


def behaviour_of(case_id: str) -> str:
    return list(BEHAVIOURS)[hashlib.sha256(case_id.encode()).digest()[0] % len(BEHAVIOURS)]


class BehavingPhone:
    """Each case behaves by its hash; an answered call is reported by the IVR first."""

    def __init__(self, clock: FixedClock, ending: CallEnding) -> None:
        self.clock, self.ending = clock, ending
        self.calls: list[DialRequest] = []

    async def place(self, request: DialRequest) -> DialResult:
        self.calls.append(request)
        await asyncio.sleep(0.01)
        now = self.clock.now()
        said, _, _ = BEHAVIOURS[behaviour_of(request.case_id)]
        if said is None:
            line = LINE[behaviour_of(request.case_id)]
            answered = now if line is CallOutcome.ANSWERED else None
            return DialResult(line, now, answered_at=answered, detail={"cause": 16})
        outcome, records = said
        talk = CallResult(request.attempt_id, request.attempt_id, now, outcome, list(records),
                          ended_at=now)  # fmt: skip
        await self.ending.ivr_ended(talk)  # the IVR's sink runs before the dialer hears
        return DialResult(CallOutcome.ANSWERED, now, answered_at=now, dialogue=talk)


@pytest.mark.parametrize("run", [1, 2])
async def test_every_behaviour_ends_with_its_own_outcome_and_next_action(
    campaign_db: tuple[Database, str], queue: DialQueue, keyring: Keyring, run: int
) -> None:
    db, cid = campaign_db
    clock = FixedClock(NOW)
    ending = CallEnding(db.async_sessions(), keyring, clock)
    a, b = BehavingPhone(clock, ending), BehavingPhone(clock, ending)
    stop = asyncio.Event()
    await asyncio.wait_for(
        asyncio.gather(
            worker(db, cid, queue, keyring, a, f"w-a{run}").run(stop, until_idle=True),
            worker(db, cid, queue, keyring, b, f"w-b{run}").run(stop, until_idle=True),
        ),
        timeout=90,
    )
    expected = us_cases(db)
    rows = {r.case_id: r for r in attempts(db, cid)}
    assert set(rows) == expected  # each case dialed once
    assert len(set(Counter(behaviour_of(c) for c in expected))) >= 6  # most behaviours present
    with db.transaction() as s:
        recorded = Counter(
            str(e.details["attempt_id"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "call.recorded"))
        )
        for case_id in expected:
            _, outcome, channel = BEHAVIOURS[behaviour_of(case_id)]
            row = rows[case_id]
            case = s.get_one(Case, case_id)
            action = case.next_action or {}
            if outcome == "wrong_number" and action.get("channel") == "call":
                channel = "call"  # the debtor has another number: the next call uses it
                assert action["phone_position"] is not None
            assert (row.state, row.outcome, action.get("channel")) == ("done", outcome, channel), (
                case_id, behaviour_of(case_id), action,
            )  # fmt: skip
            assert recorded[row.id] == 1  # written once
            if outcome == "wrong_number":  # (a debtor's phone is shared by their cases)
                assert s.get_one(DebtorPhone, row.phone_id).status == "wrong_number"
            if outcome == "callback_scheduled":
                assert case.next_action_at == CALLBACK_AT
            if outcome == "already_paid":
                assert case.next_action_at == NOW
            if outcome == "promise_to_pay":
                assert case.next_action_at is not None
                assert case.next_action_at.date() > DUE
            if outcome == "hung_up":
                assert row.answered_at is not None
                assert case.next_action_at == NOW + timedelta(days=3)
