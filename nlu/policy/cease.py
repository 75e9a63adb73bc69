"""A request to stop calling, honoured at once; a promise said in the same breath is kept.

"ugh fine I'll pay the whole thing friday, just stop calling me": a collector honours the cease
(no further calls, FDCPA 805(c)) AND keeps the promise the debtor volunteered. Nothing more is
asked (no read-back: asking is collecting after a cease); the close says both back. The promise
is kept only when it is whole and within the limits (an amount at least the minimum, a day
inside the promise window), said (at least in part) in the cease's own words, and the debtor is
verified; a read-back not yet confirmed is no promise; anything less is the cease alone, its
words on the record for the person who reads it. The dialer's next action puts the cease first
(no promise-check call); the promise stands on the case.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.dialogue import Outcome, Parse, RecordCease, RecordPromise
from core.money import Money
from nlu.policy import negotiation as neg
from nlu.policy.common import Result, end, latest_promise_date
from nlu.policy.state import DialogueState, Stage

# the stages where the debtor has heard the debt and may be offering a payment
_NEGOTIATING = frozenset(
    {Stage.ASK_FULL, Stage.PROMISE, Stage.CONFIRM_PROMISE, Stage.OFFER_PLAN, Stage.CONFIRM_PLAN}
)


def cease(state: DialogueState, text: str, parse: Parse) -> Result:
    """End the call on a request to stop calling, keeping a whole promise said with it."""
    record = RecordCease(text)
    kept = promise_with_cease(state, text, parse)
    if kept is not None:
        amount, due = kept
        state = replace(state, promise_amount=amount, promise_date=due).noted("promise_with_cease")
        state, commands = end(state, Outcome.PROMISE_TO_PAY, "cease_ack_promise")
        return state, [RecordPromise(amount, due), record, *commands]
    ack = "cease_ack" if state.verified else "cease_ack_unverified"
    state, commands = end(state, Outcome.CEASE_REQUESTED, ack)
    return state, [record, *commands]


def promise_with_cease(state: DialogueState, text: str, parse: Parse) -> tuple[Money, date] | None:
    """The amount and day the verified debtor offers in the cease's utterance, when both are
    there and within the limits; the utterance must offer one of them itself (the other may be a
    slot filled earlier: "three hundred" asked for the day, then "Friday, and stop calling")."""
    if not state.verified or state.stage not in _NEGOTIATING:
        return None
    offer = neg.offered(state, text, Parse("promise_to_pay", parse.confidence, parse.entities))
    if offer.intent != "promise_to_pay" or (offer.amount is None and offer.date is None):
        return None  # the cease itself offers nothing: a read-back not yet confirmed is no promise
    facts = state.facts
    amount = state.promise_amount
    if offer.amount is not None:
        said = Money.of(offer.amount.value, facts.balance.currency)
        if said < facts.limits.min_promise:
            return None
        if said.amount > facts.balance.amount * neg.IMPLAUSIBLE_OVER_BALANCE:
            return None
        amount = facts.balance if facts.balance < said else said
    due = offer.date.value if offer.date is not None else state.promise_date
    if amount is None or due is None or not state.today <= due <= latest_promise_date(state):
        return None
    return amount, due
