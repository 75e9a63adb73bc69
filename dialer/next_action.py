"""The end of a call, decided by rule (pure): the attempt's outcome, whether it was answered,
the dialed phone's fate and the case's next action (what the outcome means for the case's
status and the contact figures is ``core.call_end``'s).

What the dialogue decided comes first: a debtor reported dead leaves automated contact for a
person's review (``deceased_review``, never dialed); a cease or a dispute stops calling; "I
already paid" makes the next step a payment verification; a promise (or a plan) schedules the
promise-kept check after its date; a callback is placed when the debtor asked for it; a wrong
number retires the phone and the next call uses another of the debtor's numbers (or none is
left). The retry rules of ``dialer.retry`` apply only when the dialogue set nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.call_end import DECEASED_REVIEW
from core.dialogue import (
    DialogueCommand,
    Outcome,
    RecordAlreadyPaid,
    RecordCease,
    RecordDeceased,
    RecordDispute,
    RecordPaymentPlan,
    RecordPromise,
    ScheduleCallback,
)
from dialer.origination import CallOutcome
from dialer.retry import RetryRules, plan_after_interruption, plan_retry

EXHAUSTED = timedelta(days=30)
INTERRUPTED = "interrupted"  # as a lost worker's calls are closed (dialer.recovery)
_RETRY_AS = {Outcome.MACHINE: CallOutcome.MACHINE, Outcome.NO_ANSWER: CallOutcome.NO_ANSWER}


@dataclass(frozen=True, slots=True)
class CallFacts:
    """Both sides of one finished call: the line (None when only the IVR reports, e.g. a
    simulated call: it was answered) and the dialogue (None when no session ran)."""

    line: CallOutcome | None
    dialogue_ran: bool = False
    dialogue_outcome: Outcome | None = None
    records: Sequence[DialogueCommand] = ()
    line_lost: bool = False  # the channel vanished with Asterisk: nobody hung up


@dataclass(frozen=True, slots=True)
class CaseAtEnd:
    """What the case looked like when the call ended (read in the writing transaction)."""

    phone_position: int  # the dialed phone's place among the debtor's usable numbers
    usable_phones: int  # usable numbers, the dialed one included
    attempts: int  # attempts of this campaign, this one included
    timezone: str  # the debtor's, for "the day after the promise's date"
    outcomes: Mapping[str, int] = field(default_factory=dict)  # earlier attempts', counted


@dataclass(frozen=True, slots=True)
class EndPlan:
    outcome: str
    answered: bool
    retire_phone: str | None  # the dialed phone's new status (None: still usable)
    next_at: datetime | None  # None: nothing further is due
    next_action: dict[str, Any] = field(default_factory=dict)


def attempt_outcome(facts: CallFacts) -> str:
    """The dialogue's outcome when a session ran; an answered call without one hung up; a
    call whose line was lost with Asterisk, and which the dialogue would call hung up, was
    interrupted (what was said before, a promise say, still stands)."""
    hung_up = Outcome.HUNG_UP.value
    if facts.dialogue_outcome is not None:
        outcome = facts.dialogue_outcome.value
    elif facts.dialogue_ran or facts.line is None or facts.line is CallOutcome.ANSWERED:
        outcome = hung_up
    else:
        return facts.line.value
    return INTERRUPTED if facts.line_lost and outcome == hung_up else outcome


def plan_end(facts: CallFacts, case: CaseAtEnd, rules: RetryRules, now: datetime) -> EndPlan:
    outcome = attempt_outcome(facts)
    wrong = facts.dialogue_outcome is Outcome.WRONG_NUMBER
    invalid = facts.line is CallOutcome.INVALID_NUMBER and not facts.dialogue_ran
    answered = facts.dialogue_ran or facts.line in (None, CallOutcome.ANSWERED, CallOutcome.MACHINE)
    at, action = _dialogue_next(facts.records, facts.dialogue_outcome, case, rules, now)
    if action is None and outcome == INTERRUPTED:  # as a lost worker's call: same number
        retry_in = plan_after_interruption(rules, case.attempts)
        at, action = now + (retry_in or EXHAUSTED), {"channel": "call"}
    elif action is None:
        at, action = (
            _next_phone(case, rules, now) if wrong else _retry(facts, case, rules, now, invalid)
        )
    action.setdefault("after", outcome)
    return EndPlan(
        outcome=outcome,
        answered=answered,
        retire_phone="wrong_number" if wrong else "invalid" if invalid else None,
        next_at=at,
        next_action=action,
    )


def _check_at(day: date, case: CaseAtEnd, rules: RetryRules) -> datetime:
    """The start of the debtor's day ``promise_grace_days`` after the day after ``day``."""
    check_day = day + timedelta(days=1 + rules.promise_grace_days)
    return datetime.combine(check_day, time(0), tzinfo=ZoneInfo(case.timezone))


def _dialogue_next(
    records: Sequence[DialogueCommand],
    outcome: Outcome | None,
    case: CaseAtEnd,
    rules: RetryRules,
    now: datetime,
) -> tuple[datetime | None, dict[str, Any] | None]:
    """The next action the dialogue set, by precedence (None: it set none)."""
    kinds = {type(r) for r in records}
    if RecordDeceased in kinds or outcome is Outcome.DECEASED:  # a person's follow-up, at once
        return now, {"channel": DECEASED_REVIEW, "reason": "deceased"}
    if RecordCease in kinds or outcome is Outcome.CEASE_REQUESTED:
        return None, {"channel": "none", "reason": "cease_requested"}
    if RecordDispute in kinds or outcome is Outcome.DISPUTE:
        return None, {"channel": "none", "reason": "dispute"}
    for record in records:
        if isinstance(record, RecordAlreadyPaid):
            paid_on = record.paid_on.isoformat() if record.paid_on else None
            return now, {"channel": "verify_payment", "paid_on": paid_on, "via": record.channel}
    for record in records:
        if isinstance(record, RecordPromise):
            due = record.due
            return _check_at(due, case, rules), {
                "channel": "promise_check",
                "kind": "promise",
                "due": due.isoformat(),
            }
        if isinstance(record, RecordPaymentPlan) and record.installments:
            first = min(i.due for i in record.installments)
            return _check_at(first, case, rules), {
                "channel": "promise_check",
                "kind": "plan",
                "due": first.isoformat(),
            }
    for record in records:
        if isinstance(record, ScheduleCallback):
            at = max(record.at, now) if record.at else now + rules.callback_unsaid
            action: dict[str, Any] = {
                "channel": "call",
                "reason": "callback",
                "requested": record.at is not None,
                "phone_position": case.phone_position,
            }
            return at, action
    return None, None


def _next_phone(
    case: CaseAtEnd, rules: RetryRules, now: datetime
) -> tuple[datetime | None, dict[str, Any]]:
    """After a wrong number: the next of the debtor's other numbers, or none is left."""
    remaining = case.usable_phones - 1
    if remaining <= 0:
        return now + EXHAUSTED, {"channel": "none", "reason": "no usable phone"}
    if case.attempts >= rules.max_attempts_per_case:
        return now + EXHAUSTED, {"channel": "call", "reason": "attempts exhausted"}
    position = case.phone_position if case.phone_position < remaining else 0
    return now + rules.after_wrong_number, {"channel": "call", "phone_position": position}


def _retry(
    facts: CallFacts, case: CaseAtEnd, rules: RetryRules, now: datetime, invalid: bool
) -> tuple[datetime | None, dict[str, Any]]:
    line = facts.line or CallOutcome.ANSWERED
    key = _RETRY_AS.get(facts.dialogue_outcome, line) if facts.dialogue_outcome else line
    if facts.dialogue_ran and key is CallOutcome.INVALID_NUMBER:
        key = CallOutcome.ANSWERED
    same = case.outcomes.get(key.value, 0) + 1  # this call's outcome included
    plan = plan_retry(rules, key, case.phone_position, case.usable_phones, case.attempts, same)
    if invalid and case.usable_phones <= 1:
        return now + EXHAUSTED, {"channel": "none", "reason": "no usable phone"}
    if plan.retry_in is None:
        return now + EXHAUSTED, {"channel": "call", "reason": "attempts exhausted"}
    return now + plan.retry_in, {"channel": "call", "phone_position": plan.phone_position}
