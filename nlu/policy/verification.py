"""Right-party verification: the opening of a call, before anything about the debt is said.

The greeting asks for the debtor by name; depending on the case's ``VerificationMode`` a second
factor (birth year or the last four digits of an id) follows. Only ``verified`` leads to the
disclosure and the debt; every other path ends the call or asks again.

An answer counts only on confident evidence (``confident_yes``): a clear affirmation, scored
at least ``AFFIRM_MIN_CONFIDENCE`` by the NLU (calibrated in docs/nlu.md), that is not a
question back, not a recogniser hallucination, repetition or noise (``nlu.hallucination``),
and that the recogniser itself heard with at least ``ASR_MIN_CONFIDENCE`` (unknown counts as
not confident); those readings are ``nlu.policy.yes_reading``. The keypad is exact. The second
factor counts when its digits match.

Anything unclear (``unclear``) gets the question again in other words (twice), then the keypad
("press 1 if you are ..."), then a polite close that says nothing of the debt
(``Outcome.UNVERIFIED``). A denial, a wrong number or a third party ends the call politely;
"who is calling?" gets the neutral identity answer and the question again.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from core.dialogue import AskDTMF, Outcome, Parse
from nlu.affirmation import of_another_en
from nlu.hallucination import Hearing, judge
from nlu.policy.answers import (  # re-exported: the policy reads answers through this module
    PLAIN_YES_MIN_CONFIDENCE as PLAIN_YES_MIN_CONFIDENCE,
)
from nlu.policy.answers import about_the_debt as about_the_debt
from nlu.policy.answers import answered_then_asked as answered_then_asked
from nlu.policy.answers import asks_back as asks_back
from nlu.policy.answers import claimed_then_asked_who, claims_strongly, yes_then_what
from nlu.policy.answers import named_after_asking as named_after_asking
from nlu.policy.answers import yes_then_aside as yes_then_aside
from nlu.policy.answers import yes_then_more as yes_then_more
from nlu.policy.common import (
    Result,
    ask,
    ask_key,
    end,
    said_year,
    say,
    schedule,
    spoken_digits,
)
from nlu.policy.facts import VerificationMode
from nlu.policy.first_answers import corrected_yes
from nlu.policy.machine import machine_answered
from nlu.policy.names import unsure_name
from nlu.policy.no_answers import read_no
from nlu.policy.state import MAX_REPROMPTS, DialogueState, Stage
from nlu.policy.yes_reading import (  # re-exported: tests and benches read them from here
    AFFIRM_MIN_CONFIDENCE as AFFIRM_MIN_CONFIDENCE,
)
from nlu.policy.yes_reading import ASR_MIN_CONFIDENCE as ASR_MIN_CONFIDENCE
from nlu.policy.yes_reading import SECOND_YES_ASR_MIN as SECOND_YES_ASR_MIN
from nlu.policy.yes_reading import confident_yes as confident_yes
from nlu.policy.yes_reading import heard_clearly as heard_clearly
from nlu.policy.yes_reading import name_answer as name_answer
from nlu.policy.yes_reading import plausible_yes as plausible_yes
from nlu.rules import moved_away

OPENING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND, Stage.THIRD_PARTY_TIME)
VERIFYING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND)


def held(state: DialogueState, text: str, parse: Parse) -> DialogueState:
    """``state`` holding what was said about the debt, for after verification."""
    return replace(state, held=(text, parse)) if about_the_debt(parse) else state


def unverified_elsewhere(state: DialogueState) -> bool:
    """Not verified, yet not asking who is speaking (on hold for an agent after "0")."""
    return not state.verified and state.stage not in OPENING


def answered(state: DialogueState, at: datetime) -> Result:
    """The call is answered. "Today" stays the one the conversation was started with (the
    caller's local date for the debtor, as the parser reads dates against it): re-deriving it
    from ``at`` would let the parse and the policy disagree on "Friday" whenever the two clocks
    differ (a simulated call on a scenario's date), and a promise's date would then be dropped
    as past."""
    state = replace(state, answered_at=at)
    if state.machine.detected is not None:  # the PBX's AMD heard a machine before we spoke
        return machine_answered(state, state.machine.detected)
    if state.facts.verification is VerificationMode.NONE:
        return verified(state)
    state = state.to(Stage.VERIFY_NAME)
    return state, [say(state, "greeting")]


def opening(state: DialogueState, text: str, parse: Parse, *, after_yes: bool = False) -> Result:
    """An answer at the opening; ``after_yes``: the answer before it was a plausible "yes"."""
    if state.stage is Stage.THIRD_PARTY_TIME:
        return schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
    if state.stage is Stage.VERIFY_NAME:  # "no wait, yes that's me": its closing words answer
        text = corrected_yes(text, state.facts.lang, state.facts.debtor_name) or text
    if state.stage is Stage.VERIFY_SECOND:  # "no, I can't pay all that" at the year: words
        # about the debt (held, asked again); "no, I'm not him": a wrong number
        parse = read_no(text, parse, state.facts.lang, state.facts.debtor_name)
    if parse.intent == "ask_identity" and yes_then_what(
        text, state.facts.lang, state.facts.debtor_name
    ):  # "是，什么事": the yes answered, the question waits (as "是我，怎么了" does)
        parse = Parse("affirm", parse.confidence, parse.entities, parse.asr_confidence)
    match parse.intent:  # at VERIFY_NAME ``parse`` is already ``name_answer``'s (decide._heard)
        case "wrong_number":
            if moved_away(text, state.facts.lang):  # the number no longer reaches them
                state = state.noted("moved")
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
            return unclear(state, lead="identity_neutral")
    if state.stage is Stage.VERIFY_SECOND:
        return second_factor_said(state, text, parse)
    if parse.intent == "affirm" and asks_back(text, state.facts.lang, state.facts.debtor_name):
        return unclear(state, lead="identity_neutral")
    if unsure_name(text, state.facts.lang, state.facts.debtor_name):
        return asked_again(state, text)
    if parse.intent == "affirm":
        lang, name = state.facts.lang, state.facts.debtor_name
        if confident_yes(text, parse, lang, name):
            return name_confirmed(state)
        if not plausible_yes(text, parse, lang, name):
            return unclear(state)
        if after_yes:  # the re-asked question answered "yes" again
            return name_confirmed(state.noted("second_yes"))
        asked, commands = unclear(state)
        return replace(asked, weak_yes=not asked.ended), commands
    if parse.intent == "out_of_scope" or judge(text, state.facts.lang) is not Hearing.SPEECH:
        return unclear(state)
    asked, commands = unclear(held(state, text, parse), lead="verify_first")
    # 是我 (heard unsurely) … 我现在就可以还五百 … 对: words about paying between two yeses
    # leave the first standing, so the second is the second yes it is
    return replace(asked, weak_yes=after_yes and not asked.ended), commands


def name_confirmed(state: DialogueState) -> Result:
    if state.facts.verification is VerificationMode.NAME:
        return verified(state)
    state = state.to(Stage.VERIFY_SECOND)
    return state, ask(state)


def claimed_asked_who(state: DialogueState, text: str, parse: Parse) -> Result | None:
    """ "This is Gloria, who's calling?" heard clearly confirms the name (None when ``text`` is
    no such answer). The disclosure then says who calls; before a second factor, a word on who
    calls that says nothing of why. A bare 是我 needs that second factor."""
    lang, name = state.facts.lang, state.facts.debtor_name
    claim = claimed_then_asked_who(text, lang, name)
    if claim is None:
        return None
    claimed = Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, (), parse.asr_confidence)
    if not confident_yes(claim, claimed, lang, name):
        return None
    if state.facts.verification is VerificationMode.NAME and not claims_strongly(claim, lang):
        return None
    state, commands = name_confirmed(state)
    if state.verified:
        return state, commands
    return state, [say(state, "identity_brief"), *commands]


def unclear(state: DialogueState, lead: str | None = None) -> Result:
    """Not a usable answer: ask again in other words (twice), then the keypad, then close
    politely without a word about why we called (``Outcome.UNVERIFIED``)."""
    if state.on_hold:  # a voice after the phone was handed over: greet, ask from the start
        state, lead = replace(state, on_hold=False, misses=0), lead or "hold_back"
    misses = state.misses + 1
    state = replace(state, misses=misses)
    if misses <= MAX_REPROMPTS and lead is not None:  # a question of theirs: ours again
        return state, [say(state, lead), *ask(state)]
    if misses <= MAX_REPROMPTS:
        return state, [say(state, "reprompt." + ask_key(state), misses - 1)]
    again = lead == "verify_first" and not state.keypad_again  # they speak of the debt: engaged
    if again:  # "礼拜五我还一千" at the keypad offer: held, and the offer made once more
        state = replace(state, keypad_again=True, misses=MAX_REPROMPTS + 1)
    if state.misses == MAX_REPROMPTS + 1:
        first = [say(state, lead)] if again and lead is not None else []
        if state.stage is Stage.VERIFY_SECOND:
            return state, [*first, say(state, "keypad_offer_digits"), AskDTMF("verify_second", 4)]
        return state, [*first, say(state, "keypad_identity"), AskDTMF("verify_identity", 1)]
    return end(state.noted("unverified"), Outcome.UNVERIFIED, "unverified_close")


def asked_again(state: DialogueState, text: str) -> Result:
    """``unclear``; after the surname alone ("Reed speaking", 我是老李: his wife or son may say
    it, never a yes) the question again with his name in full, after a thank-you."""
    facts = state.facts
    if state.stage is Stage.VERIFY_NAME and unsure_name(text, facts.lang, facts.debtor_name):
        return unclear(state, lead="name_in_full")
    return unclear(state)


def keypad(state: DialogueState, digits: str) -> Result:
    """Keys pressed while verifying: 1 "that's me", 2 "not me", digits for the second factor."""
    if state.stage is Stage.VERIFY_SECOND and len(digits) > 1:
        return check_second_factor(state, digits, exact=True)
    match digits[:1]:
        case "1" if state.stage is Stage.VERIFY_NAME:
            return name_confirmed(state)
        case "2" if state.stage is Stage.VERIFY_NAME:
            return end(state, Outcome.WRONG_NUMBER, "wrong_number")
    return unclear(state)


def second_factor_said(state: DialogueState, text: str, parse: Parse) -> Result:
    lang = state.facts.lang
    about_debt = about_the_debt(parse)
    # a year said as one ("八八年的 礼拜五还两千") is the answer even beside words about the debt,
    # which are then held; any other digits beside them are the debt's, never the factor
    asks_year = state.facts.verification is VerificationMode.NAME_AND_BIRTH_YEAR
    year = said_year(text, lang) if asks_year else None  # a year is no id's digits
    hearing = judge(text, lang)
    mine = not _of_another(text, lang)  # "my wife was born in 85" is no answer
    if hearing in (Hearing.SPEECH, Hearing.REPETITION) and (year or not about_debt) and mine:
        digits = (year if about_debt else None) or spoken_digits(text, lang)
        if digits and _factor_shaped(state, digits):
            state = held(state, text, parse)
            return check_second_factor(state, digits, exact=heard_clearly(parse, lang))
    if about_debt and hearing is Hearing.SPEECH:  # understood: help after verifying
        return unclear(held(state, text, parse), lead="verify_first")
    return unclear(state)


def factor_plainly(state: DialogueState, text: str, parse: Parse) -> bool:
    """The year or digits asked for, said where the intent is unsure ("It's eighty five." read
    as a third party at 0.32): the answer to the question, not a stranger's words."""
    if parse.confidence >= FACTOR_OVER_INTENT_BELOW or _of_another(text, state.facts.lang):
        return False
    digits = spoken_digits(text, state.facts.lang)
    return bool(digits) and _factor_shaped(state, digits)


def _of_another(text: str, lang: str) -> bool:
    """Words about someone else ("she was born in 85", 他是八五年的): never read as the answer."""
    if lang == "zh":
        return bool(_OTHER_ZH.search(text))
    return of_another_en(text.lower())


def _factor_shaped(state: DialogueState, digits: str) -> bool:
    """Digits that can be the factor asked for: a year said in two or four digits ("eighty
    three", "1983"), at least the four digits of an id; an amount of 200 is neither."""
    if state.facts.verification is VerificationMode.NAME_AND_ID_LAST4:
        return len(digits) >= 4
    return len(digits) in (2, 4) and _a_birth_year(digits, state.today.year)


# A year no adult can have been born in ("17" or "1709": tiny.en for "seventy-nine") is a
# hearing gone wrong: asked again, never counted as a wrong year (two of those end the call)
ADULT_AGES = range(16, 100)
# an intent under this is not sure enough to outweigh a year or digits said at the second factor
FACTOR_OVER_INTENT_BELOW = 0.5
_OTHER_ZH = re.compile(r"[他她]|我(?:爸|妈|老公|老婆|爱人|媳妇|儿子|女儿|闺女|孩子|哥|弟|姐|妹)")


def _a_birth_year(digits: str, this_year: int) -> bool:
    if len(digits) == 4:
        return this_year - int(digits) in ADULT_AGES
    return any(this_year - (century + int(digits)) in ADULT_AGES for century in (1900, 2000))


def check_second_factor(state: DialogueState, digits: str, *, exact: bool) -> Result:
    """The right digits verify; wrong digits heard clearly count as a failure (two end the
    call), wrong digits heard unsurely are asked again."""
    facts = state.facts
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4:
        ok = facts.id_last4 is not None and digits[-4:] == facts.id_last4
    else:
        ok = facts.birth_year is not None and _same_year(digits, facts.birth_year)
    if ok:
        return verified(state)
    if not exact:
        return unclear(state)
    state = replace(state, verify_failures=state.verify_failures + 1, misses=0)
    if state.verify_failures >= 2:
        return end(state.noted("verification_failed"), Outcome.THIRD_PARTY, "verify_failed_end")
    return state, [say(state, "verify_retry")]


def _same_year(digits: str, year: int) -> bool:
    if len(digits) == 2:
        return digits == f"{year % 100:02d}"
    return digits[-4:] == str(year)


def verified(state: DialogueState) -> Result:
    """Right party confirmed: disclosure, recording notice, the debt, the first ask (unless the
    debtor already said something about the debt: ``decide`` answers that instead)."""
    state = replace(state.to(Stage.ASK_FULL), verified=True, disclosed=True)
    disclosure = f"disclosure.{state.facts.jurisdiction}"
    return state, [
        say(state, disclosure, interruptible=False),
        say(state, "recording_notice", interruptible=False),
        say(state, "state_debt"),
        *(ask(state) if state.held is None else []),
    ]
