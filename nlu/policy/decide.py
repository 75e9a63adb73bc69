"""``decide(state, event) -> (state, commands)``: the collection dialogue as a pure function.

Order of precedence for an utterance: abusive language, then the intents with legal weight
(stop calling, request an agent), then right-party verification (nothing about the debt is said
before it succeeds), then the asides any stage accepts, then the stage's own question.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core.dialogue import (
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Intent,
    MachineDetected,
    Outcome,
    Parse,
    PlaybackFinished,
    RecordCease,
    ScheduleCallback,
    SilenceTimedOut,
    TransferFailed,
    UtteranceHeard,
)
from nlu.policy import asides, paid
from nlu.policy import negotiation as neg
from nlu.policy.common import Result, ask, end, reprompt, say, spoken_digits
from nlu.policy.facts import VerificationMode
from nlu.policy.machine import heard_machine, machine_answered
from nlu.policy.state import DialogueState, Stage
from nlu.rules import is_abusive

_OPENING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND, Stage.THIRD_PARTY_TIME)
# a classifier guess below this does not end a call (rules give 1.0, the keypad too)
END_CALL_MIN_CONFIDENCE = 0.5


def decide(state: DialogueState, event: DialogueEvent) -> Result:
    if state.ended:
        return state, []
    match event:
        case CallAnswered(at=at):
            return _answered(state, at)
        case MachineDetected():
            return machine_answered(state, event)
        case UtteranceHeard(text=text, parse=parse):
            if heard_machine(state, text):
                return machine_answered(state, MachineDetected("heuristic", text))
            return _heard(state, text, parse)
        case DtmfReceived(digits=digits):
            return _dtmf(state, digits)
        case SilenceTimedOut():
            return reprompt(state)
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


def _answered(state: DialogueState, at: datetime) -> Result:
    today = at.astimezone(ZoneInfo(state.facts.timezone)).date()
    state = replace(state, today=today)
    if state.machine.detected is not None:  # the PBX's AMD heard a machine before we spoke
        return machine_answered(state, state.machine.detected)
    if state.facts.verification is VerificationMode.NONE:
        return _verified(state)
    state = state.to(Stage.VERIFY_NAME)
    return state, [say(state, "greeting")]


def _heard(state: DialogueState, text: str, parse: Parse) -> Result:
    legal = parse.intent in ("stop_calling", "dispute", "request_agent")
    if not legal and is_abusive(text, state.facts.lang):
        if state.abuse_warned:
            return end(state.noted("abusive_language"), Outcome.REFUSED, "abuse_end")
        state = replace(state, abuse_warned=True)
        return state, [say(state, "abuse_warning"), *ask(state)]
    if parse.intent == "stop_calling":
        record = RecordCease(text)
        state, commands = end(state, Outcome.CEASE_REQUESTED, "cease_ack")
        return state, [record, *commands]
    if parse.intent == "request_agent" and state.stage is not Stage.TRANSFERRING:
        return neg.to_agent(state, "requested_by_debtor")
    if _would_end_call(state, parse) and parse.confidence < END_CALL_MIN_CONFIDENCE:
        return asides.unsure(state, text, parse)  # ask again rather than end the call on a guess
    if state.stage in _OPENING:
        return _opening(state, text, parse)
    aside = asides.aside(state, text, parse)
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
            return neg.ask_full(state, parse, text)
        case Stage.PROMISE:
            return neg.promise(state, parse, text)
        case Stage.CONFIRM_PROMISE:
            return neg.confirm_promise(state, parse)
        case Stage.OFFER_PLAN:
            return neg.plan(state, text, parse)
        case Stage.CONFIRM_PLAN:
            return neg.confirm_plan(state, parse)
        case Stage.ALREADY_PAID:
            return paid.answer(state, text, parse)
        case Stage.CALLBACK_TIME:
            return asides.callback_answer(state, text, parse)
    return state, []


# --- opening: right-party verification; the debt is never mentioned here --------------------


def _opening(state: DialogueState, text: str, parse: Parse) -> Result:
    if state.stage is Stage.THIRD_PARTY_TIME:
        return _schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
    match parse.intent:
        case "wrong_number":
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
        case "deny" if state.stage is Stage.VERIFY_NAME:
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
        case "third_party":
            if parse.date is not None:
                return _schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
            state = state.to(Stage.THIRD_PARTY_TIME)
            return state, [say(state, "third_party_ask_time")]
        case "callback_later":
            return _schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
        case "ask_identity":
            return state, [say(state, "identity_neutral"), *ask(state)]
    if state.stage is Stage.VERIFY_SECOND:
        return _check_second_factor(state, spoken_digits(text, state.facts.lang), parse)
    if parse.intent == "affirm":
        if state.facts.verification is VerificationMode.NAME:
            return _verified(state)
        state = state.to(Stage.VERIFY_SECOND)
        return state, ask(state)
    if parse.intent == "out_of_scope":
        return reprompt(state)
    return state, [say(state, "verify_first"), *ask(state)]


def _check_second_factor(state: DialogueState, digits: str, parse: Parse) -> Result:
    facts = state.facts
    if not digits:
        return reprompt(state)
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4:
        ok = facts.id_last4 is not None and digits[-4:] == facts.id_last4
    else:
        ok = facts.birth_year is not None and _same_year(digits, facts.birth_year)
    if ok:
        return _verified(state)
    state = replace(state, verify_failures=state.verify_failures + 1, misses=0)
    if state.verify_failures >= 2:
        return end(state.noted("verification_failed"), Outcome.THIRD_PARTY, "verify_failed_end")
    return state, [say(state, "verify_retry")]


def _same_year(digits: str, year: int) -> bool:
    if len(digits) == 2:
        return digits == f"{year % 100:02d}"
    return digits[-4:] == str(year)


def _verified(state: DialogueState) -> Result:
    """Right party confirmed: disclosure, recording notice, the debt, the first ask."""
    state = replace(state.to(Stage.ASK_FULL), verified=True, disclosed=True)
    disclosure = f"disclosure.{state.facts.jurisdiction}"
    return state, [
        say(state, disclosure, interruptible=False),
        say(state, "recording_notice", interruptible=False),
        say(state, "state_debt"),
        *ask(state),
    ]


# callbacks (the opening's third party and "call me later"): nlu.policy.asides
_schedule = asides.schedule


def _dtmf(state: DialogueState, digits: str) -> Result:
    """Keypad fallback: 1 yes, 2 no, 0 an agent; digits for the second factor."""
    if state.stage is Stage.VERIFY_SECOND and len(digits) > 1:
        return _check_second_factor(state, digits, Parse("out_of_scope", 1.0))
    meaning: dict[str, Intent] = {"1": "affirm", "2": "deny", "0": "request_agent"}
    intent = meaning.get(digits[:1])
    if intent is None:
        return reprompt(state)
    return _heard(replace(state, misses=0), digits, Parse(intent, 1.0))
