"""What a call's dialogue outcome means for the case, defined once: whether the debtor was
reached (a right-party contact), whether a conversation about the debt took place, and the case
status the outcome leaves behind. The dialer, the call's end and the reports all read these."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.dialogue import Outcome

# a call's end reason when its channel vanished while the IVR was cut off from Asterisk (a
# crash or restart found on reconnecting): nobody hung up, the call was interrupted
LINE_LOST = "line_lost"
# the next action of a case whose debtor was reported dead: a person's follow-up (the family,
# the estate, the proof), never a call or an SMS (the dialer dials only "call")
DECEASED_REVIEW = "deceased_review"
# the next actions a call's end set that a person resolves: the planner leaves them alone
HUMAN_FOLLOW_UPS = ("verify_payment", "promise_check", DECEASED_REVIEW)

RIGHT_PARTY: frozenset[Outcome] = frozenset(
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
CASE_STATUS_BY_OUTCOME: Mapping[Outcome, str] = {
    Outcome.PROMISE_TO_PAY: "promised",
    Outcome.PAYMENT_PLAN: "plan",
    Outcome.DISPUTE: "disputed",
    Outcome.CEASE_REQUESTED: "ceased",
    Outcome.DECEASED: "deceased",
}


def outcome_of(value: str | None) -> Outcome | None:
    """The dialogue outcome named ``value`` (None for a line outcome such as ``busy``)."""
    try:
        return Outcome(value) if value else None
    except ValueError:
        return None


def right_party(outcome: Outcome | str | None) -> bool:
    """The debtor was reached and verified."""
    return outcome_of(outcome) in RIGHT_PARTY if isinstance(outcome, str) else False


def conversation(outcome: Outcome | str | None) -> bool:
    """A conversation about the debt took place (a refusal reached the debtor, but is none)."""
    found = outcome_of(outcome) if isinstance(outcome, str) else None
    return found in RIGHT_PARTY and found is not Outcome.REFUSED


def held_from_planning(
    action: Mapping[str, object] | None, at: datetime | None, now: datetime
) -> bool:
    """A next action a call's end set that the strategy planner must not replace: a payment to
        verify (until a person resolves it), a promise check (until the promise-check step has
        decided kept or broken: it then has the case planned again), a debtor reported dead (until a
    person has reviewed it), and a callback the debtor
        asked for while it is not due yet."""
    if not action:
        return False
    if action.get("channel") in HUMAN_FOLLOW_UPS:
        return True
    pending = at is not None and at > now
    return pending and action.get("reason") == "callback"
