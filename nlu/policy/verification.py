"""Right-party verification: the opening of a call, before anything about the debt is said.

The greeting asks for the debtor by name; depending on the case's ``VerificationMode`` a second
factor (birth year or the last four digits of an id) follows. Only ``verified`` leads to the
disclosure and the debt (``_verified``); every other path ends the call or asks again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core.dialogue import Outcome, Parse
from nlu.policy.common import Result, ask, end, reprompt, say, schedule, spoken_digits
from nlu.policy.facts import VerificationMode
from nlu.policy.machine import machine_answered
from nlu.policy.state import DialogueState, Stage

OPENING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND, Stage.THIRD_PARTY_TIME)


def answered(state: DialogueState, at: datetime) -> Result:
    today = at.astimezone(ZoneInfo(state.facts.timezone)).date()
    state = replace(state, today=today)
    if state.machine.detected is not None:  # the PBX's AMD heard a machine before we spoke
        return machine_answered(state, state.machine.detected)
    if state.facts.verification is VerificationMode.NONE:
        return verified(state)
    state = state.to(Stage.VERIFY_NAME)
    return state, [say(state, "greeting")]


def opening(state: DialogueState, text: str, parse: Parse) -> Result:
    if state.stage is Stage.THIRD_PARTY_TIME:
        return schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
    match parse.intent:
        case "wrong_number":
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
        case "deny" if state.stage is Stage.VERIFY_NAME:
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
        case "third_party":
            if parse.date is not None:
                return schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
            state = state.to(Stage.THIRD_PARTY_TIME)
            return state, [say(state, "third_party_ask_time")]
        case "callback_later":
            return schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
        case "ask_identity":
            return state, [say(state, "identity_neutral"), *ask(state)]
    if state.stage is Stage.VERIFY_SECOND:
        return check_second_factor(state, spoken_digits(text, state.facts.lang), parse)
    if parse.intent == "affirm":
        if state.facts.verification is VerificationMode.NAME:
            return verified(state)
        state = state.to(Stage.VERIFY_SECOND)
        return state, ask(state)
    if parse.intent == "out_of_scope":
        return reprompt(state)
    return state, [say(state, "verify_first"), *ask(state)]


def check_second_factor(state: DialogueState, digits: str, parse: Parse) -> Result:
    del parse
    facts = state.facts
    if not digits:
        return reprompt(state)
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4:
        ok = facts.id_last4 is not None and digits[-4:] == facts.id_last4
    else:
        ok = facts.birth_year is not None and _same_year(digits, facts.birth_year)
    if ok:
        return verified(state)
    state = replace(state, verify_failures=state.verify_failures + 1, misses=0)
    if state.verify_failures >= 2:
        return end(state.noted("verification_failed"), Outcome.THIRD_PARTY, "verify_failed_end")
    return state, [say(state, "verify_retry")]


def _same_year(digits: str, year: int) -> bool:
    if len(digits) == 2:
        return digits == f"{year % 100:02d}"
    return digits[-4:] == str(year)


def verified(state: DialogueState) -> Result:
    """Right party confirmed: disclosure, recording notice, the debt, the first ask."""
    state = replace(state.to(Stage.ASK_FULL), verified=True, disclosed=True)
    disclosure = f"disclosure.{state.facts.jurisdiction}"
    return state, [
        say(state, disclosure, interruptible=False),
        say(state, "recording_notice", interruptible=False),
        say(state, "state_debt"),
        *ask(state),
    ]
