"""``decide(state, event) -> (state, commands)``: the collection dialogue as a pure function.

Order of precedence for an utterance: abusive language, then the intents with legal weight
(stop calling, request an agent), then right-party verification (nothing about the debt is said
before it succeeds), then the asides any stage accepts, then the stage's own question.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

from core.dialogue import (
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Intent,
    MachineDetected,
    Outcome,
    Parse,
    PlaybackFinished,
    RecordAlreadyPaid,
    RecordCease,
    RecordDispute,
    RecordHardship,
    ScheduleCallback,
    SilenceTimedOut,
    TransferFailed,
    UtteranceHeard,
)
from nlu.dates import find_dates
from nlu.policy import negotiation as neg
from nlu.policy.common import Result, ask, callback_time, end, reprompt, say
from nlu.policy.common import schedule as _schedule
from nlu.policy.machine import heard_machine, machine_answered
from nlu.policy.state import DialogueState, Stage
from nlu.policy.verification import (
    OPENING,
    VERIFYING,
    answered,
    keypad,
    opening,
    unclear,
    unverified_elsewhere,
)
from nlu.rules import is_abusive

# a classifier guess below this does not end a call (rules give 1.0, the keypad too)
END_CALL_MIN_CONFIDENCE = 0.5


def decide(state: DialogueState, event: DialogueEvent) -> Result:
    if state.ended:
        return state, []
    match event:
        case CallAnswered(at=at):
            return answered(state, at)
        case MachineDetected():
            return machine_answered(state, event)
        case UtteranceHeard(text=text, parse=parse):
            if heard_machine(state, text):
                return machine_answered(state, MachineDetected("heuristic", text))
            return _heard(state, text, parse)
        case DtmfReceived(digits=digits):
            return _dtmf(state, digits)
        case SilenceTimedOut():
            if unverified_elsewhere(state):  # on hold for an agent: nothing to ask
                return state, []
            return unclear(state) if state.stage in VERIFYING else reprompt(state)
        case BargedIn() | PlaybackFinished():
            return state, []
        case TransferFailed():
            state = state.noted("transfer_failed")
            schedule = ScheduleCallback(None, "transfer failed")
            new, commands = end(state, Outcome.CALLBACK_SCHEDULED, "transfer_failed")
            return new, [schedule, *commands]
        case CallerHungUp():
            outcome = Outcome.TRANSFERRED if state.stage is Stage.TRANSFERRING else Outcome.HUNG_UP
            state = replace(state, stage=Stage.ENDED, outcome=outcome)
            return state, [Hangup(outcome, state.notes)]


def _heard(state: DialogueState, text: str, parse: Parse) -> Result:
    legal = parse.intent in ("stop_calling", "dispute", "request_agent")
    if not legal and is_abusive(text, state.facts.lang):
        if state.abuse_warned:
            return end(state.noted("abusive_language"), Outcome.REFUSED, "abuse_end")
        state = replace(state, abuse_warned=True)
        return state, [say(state, "abuse_warning"), *ask(state)]
    if parse.intent == "stop_calling":
        record = RecordCease(text)
        ack = "cease_ack" if state.verified else "cease_ack_unverified"
        state, commands = end(state, Outcome.CEASE_REQUESTED, ack)
        return state, [record, *commands]
    if parse.intent == "request_agent" and state.stage is not Stage.TRANSFERRING:
        return neg.to_agent(state, "requested_by_debtor")
    if unverified_elsewhere(state):  # e.g. waiting for an agent: the debt's questions wait too
        return state, []
    if _would_end_call(state, parse) and parse.confidence < END_CALL_MIN_CONFIDENCE:
        return reprompt(state)  # unsure: ask again rather than end the call on a guess
    if state.stage in OPENING:
        return opening(state, text, parse)
    aside = _aside(state, text, parse)
    if aside is not None:
        return aside
    return _stage(state, text, parse)


def _would_end_call(state: DialogueState, parse: Parse) -> bool:
    if parse.intent in ("refuse", "third_party", "wrong_number"):
        return True
    return parse.intent == "deny" and state.stage is Stage.VERIFY_NAME


def _stage(state: DialogueState, text: str, parse: Parse) -> Result:
    match state.stage:
        case Stage.ASK_FULL:
            return neg.ask_full(state, parse)
        case Stage.PROMISE:
            return neg.promise(state, parse)
        case Stage.CONFIRM_PROMISE:
            return neg.confirm_promise(state, parse)
        case Stage.OFFER_PLAN:
            return neg.plan(state, text, parse)
        case Stage.CONFIRM_PLAN:
            return neg.confirm_plan(state, parse)
        case Stage.ALREADY_PAID:
            return _record_paid(state, text)
        case Stage.CALLBACK_TIME:
            return _schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
    return state, []


# --- asides: answered in any stage after verification ----------------------------------------


def _aside(state: DialogueState, text: str, parse: Parse) -> Result | None:
    match parse.intent:
        case "dispute":
            record = RecordDispute(text)
            new, commands = end(state, Outcome.DISPUTE, f"dispute_ack.{state.facts.jurisdiction}")
            return new, [record, *commands]
        case "already_paid" if state.stage is not Stage.ALREADY_PAID:
            if _paid_on(state, text) is not None and _channel(text) is not None:
                return _record_paid(state, text)
            state = state.to(Stage.ALREADY_PAID)
            return state, ask(state)
        case "hardship":
            state = replace(state, hardship=True).noted("hardship")
            new, commands = neg.offer_plan(state)
            return new, [RecordHardship(text), say(state, "hardship_empathy"), *commands]
        case "callback_later" if state.stage is not Stage.CALLBACK_TIME:
            if parse.date is not None:
                return _schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
            state = state.to(Stage.CALLBACK_TIME)
            return state, ask(state)
        case "refuse" if state.stage is not Stage.OFFER_PLAN:
            return end(state.noted("refused"), Outcome.REFUSED, "refuse_close")
        case "wrong_number":
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
        case "ask_amount" | "ask_payment_method" | "ask_identity":
            key = {"ask_amount": "state_debt", "ask_payment_method": "payment_methods"}
            answer: DialogueCommand = say(state, key.get(parse.intent, "identity_verified"))
            return state, [answer, *ask(state)]
        case "installment" if state.stage in (Stage.ASK_FULL, Stage.PROMISE):
            return neg.offer_plan(state)
    return None


_CHANNELS = (
    ("app", r"\bapp\b|应用|小程序|app"),
    ("online", r"online|website|网上|网银|portal"),
    ("bank_transfer", r"transfer|wire|bank|转账|银行|汇款"),
    ("card", r"card|刷卡|信用卡|借记卡"),
    ("cash", r"cash|现金|柜台|store"),
    ("check", r"\bcheck\b|cheque|支票"),
    ("wallet", r"paypal|venmo|apple pay|支付宝|微信|云闪付"),
)


def _channel(text: str) -> str | None:
    lowered = text.lower()
    return next((name for name, pattern in _CHANNELS if re.search(pattern, lowered)), None)


def _paid_on(state: DialogueState, text: str) -> datetime | None:
    earliest = state.today - timedelta(days=180)
    days = [d.value for d in find_dates(text, state.facts.lang, state.today)]
    past = [d for d in days if earliest <= d <= state.today]
    return callback_time(state, past[0]) if past else None


def _record_paid(state: DialogueState, text: str) -> Result:
    paid = _paid_on(state, text)
    record = RecordAlreadyPaid(paid.date() if paid else None, _channel(text))
    state, commands = end(state.noted("payment_to_verify"), Outcome.ALREADY_PAID, "paid_close")
    return state, [record, *commands]


def _dtmf(state: DialogueState, digits: str) -> Result:
    """Keypad fallback: 1 yes, 2 no, 0 an agent; digits for the second factor."""
    if unverified_elsewhere(state):
        return state, []
    if state.stage in VERIFYING and not digits.startswith("0"):
        return keypad(state, digits)
    meaning: dict[str, Intent] = {"1": "affirm", "2": "deny", "0": "request_agent"}
    intent = meaning.get(digits[:1])
    if intent is None:
        return reprompt(state)
    return _heard(replace(state, misses=0), digits, Parse(intent, 1.0, asr_confidence=1.0))
