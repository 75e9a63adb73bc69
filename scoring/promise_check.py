"""The promise check, decided by rule (pure): after a promise's date (or a plan instalment's),
was it kept, and what happens to the case.

``promise_check`` is the next action a call's end schedules after a promise or a plan
(``dialer.next_action``). When it is due, the payments made since the promise are compared with
what was promised up to the checked date: kept → the promise is ``kept``; a plan goes on to its
next instalment's check, a paid-off case is done, any other case is planned again by its
strategy; broken → the promise is ``broken`` (the strategy counts broken promises) and the case
is planned again by its strategy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Verdict(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class PromiseAtCheck:
    """One due check as the data layer found it (amounts in minor units of one currency)."""

    case_id: str
    kind: str  # promise | plan
    checked_due: date  # the date the check is about
    promised_minor: int  # what was due by that date (a plan: its instalments so far)
    paid_minor: int  # payments in that currency since the promise was made
    balance_minor: int  # the loan's outstanding balance now
    next_installment: date | None = None  # a plan: the instalment after the checked one


@dataclass(frozen=True, slots=True)
class CheckPlan:
    verdict: Verdict
    case_status: str  # the case's status after the check
    replan: bool  # the strategy plans the case's next action
    next_action: dict[str, object] | None = None  # when not re-planned
    next_due: date | None = None  # a plan's next instalment to check


def decide(check: PromiseAtCheck) -> CheckPlan:
    kept = check.balance_minor <= 0 or check.paid_minor >= check.promised_minor
    if not kept:
        return CheckPlan(Verdict.BROKEN, "open", replan=True)
    if check.balance_minor <= 0:
        return CheckPlan(
            Verdict.KEPT, "paid", replan=False, next_action={"channel": "none", "reason": "paid"}
        )
    if check.kind == "plan" and check.next_installment is not None:
        due = check.next_installment.isoformat()
        action: dict[str, object] = {"channel": "promise_check", "kind": "plan", "due": due}
        return CheckPlan(
            Verdict.KEPT, "plan", replan=False, next_action=action, next_due=check.next_installment
        )
    return CheckPlan(Verdict.KEPT, "open", replan=True)
