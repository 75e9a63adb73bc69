"""An agent's wrap-up of a call: outcome, promise, callback, note, dispute or cease request.

The wrap-up is written as a finished call attempt by ``data.call_records.save_call``, the same
function that writes the bot's calls: the attempt with its outcome and the agent, the promise
(pending, checked after its date), the dispute or cease flag on the debtor with its note, the
case's status and next action. One audit record names the agent who wrote it. The agent's
attempts carry ``agent_id``, so they count in the agent's figures like a transferred call.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from admin_api.case_service import add_note, load_case
from admin_api.errors import Conflict
from admin_api.roles import Principal
from admin_api.schemas import Body, NoteIn
from core.call_end import DECEASED_REVIEW
from core.clock import Clock
from core.dialogue import (
    DialogueCommand,
    RecordCease,
    RecordDeceased,
    RecordDispute,
    RecordPromise,
)
from core.ids import new_id
from core.money import Money
from data import audit
from data.call_records import CallRecord, save_call
from data.crypto import Keyring
from data.models import CaseNote, Promise

# what an agent may record (line outcomes such as busy are the dialer's, not a person's)
AgentOutcome = Literal[
    "promise_to_pay",
    "callback_scheduled",
    "refused",
    "dispute",
    "cease_requested",
    "already_paid",
    "wrong_number",
    "third_party",
    "deceased",
    "hung_up",
]
AGENT_OUTCOMES: tuple[str, ...] = AgentOutcome.__args__  # type: ignore[attr-defined]
PROMISE_GRACE_DAYS = 1  # the dialer's default (dialer.retry.RetryRules.promise_grace_days)
MAX_PROMISE_DAYS = 366
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class PromiseIn(Body):
    amount: Annotated[Decimal, Field(gt=0, le=Decimal(10) ** 12, max_digits=16, decimal_places=2)]
    due_date: date


class WrapUpIn(Body):
    outcome: AgentOutcome
    promise: PromiseIn | None = None
    callback_at: datetime | None = None
    note: Text | None = None
    dispute_reason: Text | None = None
    call_id: Annotated[str, Field(max_length=64)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> WrapUpIn:
        if (self.outcome == "promise_to_pay") != (self.promise is not None):
            raise ValueError("a promise (amount, due date) goes with the outcome promise_to_pay")
        if self.outcome == "callback_scheduled" and self.callback_at is None:
            raise ValueError("a callback needs its time")
        if self.callback_at is not None and self.callback_at.tzinfo is None:
            raise ValueError("the callback time needs its offset")
        if self.outcome == "dispute" and not (self.dispute_reason or self.note):
            raise ValueError("a dispute needs its reason")
        return self


class WrapUpOut(BaseModel):
    attempt_id: str
    case_id: str
    outcome: str
    case_status: str
    next_action_at: datetime | None
    promise_id: int | None = None


def _records(body: WrapUpIn, currency: str, who: Principal) -> list[DialogueCommand]:
    records: list[DialogueCommand] = []
    if body.promise is not None:
        records.append(RecordPromise(Money(body.promise.amount, currency), body.promise.due_date))
    if body.outcome == "dispute":
        records.append(RecordDispute(body.dispute_reason or body.note or ""))
    if body.outcome == "cease_requested":
        records.append(RecordCease(body.note or f"cease request taken by {who.username}"))
    if body.outcome == "deceased":
        records.append(RecordDeceased(body.note or f"reported deceased to {who.username}"))
    return records


def _next_action(
    body: WrapUpIn, timezone: str, now: datetime
) -> tuple[dict[str, Any] | None, datetime | None]:
    """The rules of ``dialer.next_action`` for what an agent can record (None: unchanged)."""
    if body.outcome in ("cease_requested", "dispute"):
        return {"channel": "none", "reason": body.outcome, "after": body.outcome}, None
    if body.outcome == "deceased":
        return {"channel": DECEASED_REVIEW, "reason": "deceased", "after": "deceased"}, now
    if body.promise is not None:
        day = body.promise.due_date + timedelta(days=1 + PROMISE_GRACE_DAYS)
        at = datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone))
        due = body.promise.due_date.isoformat()
        return {
            "channel": "promise_check",
            "kind": "promise",
            "due": due,
            "after": body.outcome,
        }, at
    if body.callback_at is not None:
        action = {"channel": "call", "reason": "callback", "requested": True, "by": "agent"}
        return action | {"after": body.outcome}, max(body.callback_at, now)
    return None, None


def _check(body: WrapUpIn, outstanding: Money, today: date) -> None:
    if body.promise is None:
        return
    if body.promise.due_date < today:
        raise Conflict("the promise's date is in the past")
    if body.promise.due_date > today + timedelta(days=MAX_PROMISE_DAYS):
        raise Conflict(f"the promise's date is more than {MAX_PROMISE_DAYS} days away")
    if body.promise.amount > outstanding.amount:
        raise Conflict(f"the promise is more than the outstanding {outstanding}")


def record(
    s: Session, keyring: Keyring, clock: Clock, who: Principal, case_id: str, body: WrapUpIn
) -> WrapUpOut:
    """Write the wrap-up in the caller's transaction (agents only on their own cases: 404)."""
    case, loan, debtor = load_case(s, who, case_id)
    now = clock.now()
    outstanding = Money.from_minor(loan.outstanding_minor, loan.currency)
    _check(body, outstanding, now.astimezone(ZoneInfo(debtor.timezone)).date())
    next_action, next_at = _next_action(body, debtor.timezone, now)
    attempt_id = new_id("agw")
    transcript = [(now, "agent", body.note)] if body.note else []
    call = CallRecord(
        attempt_id=attempt_id,
        case_id=case.id,
        started_at=now,
        answered_at=now,
        ended_at=now,
        outcome=body.outcome,
        agent_id=who.agent_id,
        transcript=transcript,
        records=_records(body, loan.currency, who),
        detail={"source": "agent_wrapup", "by": who.username, "call_id": body.call_id},
        next_action=next_action,
        next_action_at=next_at,
    )
    last_note = s.scalar(select(func.max(CaseNote.id)).where(CaseNote.case_id == case.id)) or 0
    save_call(s, keyring, call, now)
    s.flush()
    # save_call signs the dispute / cease notes it adds as the bot's: these are the agent's
    s.execute(
        update(CaseNote)
        .where(CaseNote.case_id == case.id, CaseNote.id > last_note, CaseNote.author == "bot")
        .values(author=who.actor)
    )
    note_was_record = body.outcome == "cease_requested" or (
        body.outcome == "dispute" and not body.dispute_reason
    )
    if body.note and not note_was_record:
        add_note(s, keyring, clock, who, case.id, NoteIn(body=body.note, outcome=body.outcome))
    promise_id = _promise_id(s, attempt_id) if body.promise else None
    audit.append(
        s,
        at=now,
        actor=who.actor,
        action="case.wrapup",
        subject_type="case",
        subject_id=case.id,
        details={"attempt_id": attempt_id, "outcome": body.outcome, "promise_id": promise_id},
    )
    s.refresh(case)
    return WrapUpOut(
        attempt_id=attempt_id,
        case_id=case.id,
        outcome=body.outcome,
        case_status=case.status,
        next_action_at=case.next_action_at,
        promise_id=promise_id,
    )


def _promise_id(s: Session, attempt_id: str) -> int | None:
    return s.scalar(select(Promise.id).where(Promise.attempt_id == attempt_id))
