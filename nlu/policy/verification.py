"""Right-party verification: the opening of a call, before anything about the debt is said.

The greeting asks for the debtor by name; depending on the case's ``VerificationMode`` a second
factor (birth year or the last four digits of an id) follows. Only ``verified`` leads to the
disclosure and the debt; every other path ends the call or asks again.

An answer counts only on confident evidence (``confident_yes``): a clear affirmation, scored
at least ``AFFIRM_MIN_CONFIDENCE`` by the NLU (calibrated in docs/nlu.md), that is not a
question back, not a recogniser hallucination, repetition or noise (``nlu.hallucination``),
and that the recogniser itself heard with at least ``ASR_MIN_CONFIDENCE`` (unknown counts as
not confident). The keypad is exact. The second factor counts when its digits match.

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
from nlu.affirmation import plain_yes, zh_says_who_by_sound
from nlu.hallucination import Hearing, judge
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
from nlu.policy.machine import machine_answered
from nlu.policy.state import MAX_REPROMPTS, DialogueState, Stage
from nlu.rules import moved_away

OPENING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND, Stage.THIRD_PARTY_TIME)
VERIFYING = (Stage.VERIFY_NAME, Stage.VERIFY_SECOND)
# the NLU's affirm score a "yes" to "are you <name>?" needs (docs/nlu.md: calibration)
AFFIRM_MIN_CONFIDENCE = 0.8
# ... or this much when the words are a plain "yes, that's me" (nlu.affirmation, a strict
# reading of its own): clear Mandarin answers score low (是的，我就是李明 0.69; 是我，怎么了 0.48)
PLAIN_YES_MIN_CONFIDENCE = 0.3
# the recogniser's own confidence that the text is what was said (asr.whisper: the mean token
# probability times the probability of speech), per language: bench/asr_confidence.py measured
# right answers at 0.58-0.92 and mis-hearings ("Sorry, who?" heard "Sorry, yes.") up to 0.55 in
# English; Whisper base on Mandarin mis-hearings up to 0.41 (docs/nlu.md). English stays 0.6:
# the second opinion (asr.second_opinion) takes the lower of two disagreeing confidences, so a
# mis-hearing at 0.55 beside a sure, different second hearing stays 0.55; at 0.5 that stranger
# would verify (the integrator's merge, 7 Dec: test_nlu_wrong_party "sorry who heard as sorry
# yes"); agreement still raises a true yes over the bar
ASR_MIN_CONFIDENCE: dict[str, float] = {"en": 0.6, "zh": 0.5}
# two "yes" answers in a row verify when each is a plain "yes" heard with at least this much
# recogniser confidence (bench/spoken_nlu.py: the spoken corpus' true yeses and non-answers)
SECOND_YES_ASR_MIN: dict[str, float] = {"en": 0.4, "zh": 0.35}
# a reply that asks back ("yes?", "是吗？", "who's this?") confirms nothing
_QUESTION = re.compile(
    r"[?？]|\b(who|what|which|why|how|whom|whose)\b|谁|什么|啥|哪位|哪个|哪里|干嘛|干什么|为什么|怎么|吗",
    re.I,
)
# a question about who is calling or who is wanted never confirms anything
_WHO = re.compile(
    r"\b(who|whom|whose|which|your name)\b|谁|哪位|哪个|你是|您是|名字|(?<!事)(?<!情)吗", re.I
)
_CLAUSES = re.compile(r"[,，.。!！;；?？、]+")
# the recogniser marks a Mandarin pause with a space ("嗯 是我 啥事"), not always a comma
_CLAUSES_ZH = re.compile(r"[,，.。!！;；?？、\s]+")
# a Mandarin answer that says who is speaking: "是我", "我就是", "本人"
_ZH_SELF_CLAIM = re.compile(r"是我|我就是|本人")


def asks_back(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """A reply that asks back instead of answering: "yes?", "是吗？", "是我，你是谁？". A plain
    "yes, that's me" followed by a question of its own ("是我，怎么了", "yes it's me, what's
    this about?") has answered first and asks back nothing."""
    if not _QUESTION.search(text):
        return False
    if _WHO.search(text):
        return True
    clauses = _clauses(text, lang)
    if len(clauses) < 2:  # no pause printed: "yes it's me what's this about", "是我啥事"
        cut = _cut_at_question(text) if lang == "en" else _cut_after_claim(text, debtor_name)
        clauses = cut or clauses
    first = clauses[0] if clauses else ""
    return (
        len(clauses) < 2
        or not first.strip()
        or _QUESTION.search(first) is not None
        or not plain_yes(first, lang, debtor_name)
    )


def answered_then_asked(text: str, lang: str, debtor_name: str | None = None) -> bool:
    """A plain "yes, that's me" followed by a question of its own that is not about who calls:
    "yes it's me what's this about", "yeah this is her, what is it regarding?"."""
    if lang != "en" or _WHO.search(text):
        return False
    clauses = _clauses(text, lang)
    if len(clauses) < 2:
        clauses = _cut_at_question(text) or clauses
    return (
        len(clauses) >= 2
        and _QUESTION.search(clauses[0]) is None
        and any(_QUESTION.search(c) for c in clauses[1:])
        and plain_yes(clauses[0], lang, debtor_name)
    )


# a clause that only greets or hesitates ("喂，", "hello,", "uh,"): the answer starts after it
_GREETING = re.compile(
    r"^\s*(?:喂+|哎+|诶+|嗯+|呃+|啊+|哦+|你好|您好|hello|hi|hey|uh+|um+|er+)\s*$", re.IGNORECASE
)


def _clauses(text: str, lang: str) -> list[str]:
    """The reply's clauses, leading greetings dropped ("喂，对，是我，有什么事？" answers first)."""
    clauses = [c for c in (_CLAUSES_ZH if lang == "zh" else _CLAUSES).split(text) if c.strip()]
    while len(clauses) > 1 and _GREETING.match(clauses[0]):
        clauses = clauses[1:]
    return clauses


def _cut_at_question(text: str) -> list[str] | None:
    """English ``text`` cut where a question of its own starts, when that question is a clause
    ("what's this about"), not a tone ("yes?") or a lone word ("yeah what")."""
    asked = _QUESTION.search(text)
    if asked is None or asked.group() in ("?", "？"):
        return None
    rest = text[asked.start() :].strip(" ?.")
    return [text[: asked.start()], rest] if len(rest.split()) >= 2 else None


def _cut_after_claim(text: str, debtor_name: str | None) -> list[str] | None:
    """Mandarin ``text`` with no pause, cut after the longest start that is a plain yes saying who
    speaks ("是我|啥事", "对是我|有什么事吗"), when what follows asks something; else None."""
    for cut in range(len(text) - 1, 0, -1):
        head, rest = text[:cut], text[cut:]
        if (
            _ZH_SELF_CLAIM.search(head)
            and _QUESTION.search(head) is None
            and _QUESTION.search(rest) is not None
            and plain_yes(head, "zh", debtor_name)
        ):
            return [head, rest]
    return None


# what a debtor says about the debt itself before verification ("I can pay 200 on Friday", "I
# already paid"): held until verification, then acted on; at the second factor never an attempt
# at the year or the id, whatever digits it holds, when the NLU is this sure of it (a year said
# alone scores out_of_scope, or another intent below 0.3: "I was born in 1983" reads hardship)
_ABOUT_THE_DEBT = frozenset(
    {
        "promise_to_pay", "already_paid", "hardship", "installment", "dispute", "refuse",
        "ask_amount", "ask_payment_method",
    }
)  # fmt: skip
_ABOUT_THE_DEBT_MIN = 0.5


def about_the_debt(parse: Parse) -> bool:
    if parse.intent in ("promise_to_pay", "installment") and parse.amount is not None:
        return True  # "i can send three hundred friday": the amount says it, whatever the score
    return parse.intent in _ABOUT_THE_DEBT and parse.confidence >= _ABOUT_THE_DEBT_MIN


def yes_then_more(text: str, parse: Parse, lang: str, debtor_name: str | None) -> str | None:
    """ "yeah this is john, I already paid that last week", "是我，我周五还两千": a plain "yes,
    that's me" said first (its own clause), then words about the debt: the "yes" clause, which
    is read as the answer (the words about the debt are held), else None."""
    if not about_the_debt(parse) or _WHO.search(text):
        return None
    clauses = _clauses(text, lang)
    said = 0  # "Yes, it's me. I already paid": the run of plain-yes clauses the reply opens with
    while said < len(clauses) - 1 and plain_yes(clauses[said], lang, debtor_name):
        said += 1
    yes = " ".join(clauses[:said])
    if not said or _QUESTION.search(yes) or not _claims_self(yes, lang, debtor_name):
        return None  # a bare "yeah" is no answer: "Negative." was heard "Yeah, I got paid."
    return yes


# words that say who is speaking: a bare "yes" / 对 before other words may answer anything
_SELF_CLAIM_EN = re.compile(r"\b(?:me|him|her|speaking|this is|i am|i'?m|you got)\b", re.I)


def _claims_self(yes: str, lang: str, debtor_name: str | None) -> bool:
    if lang == "zh":
        return _ZH_SELF_CLAIM.search(yes) is not None or bool(debtor_name and debtor_name in yes)
    return _SELF_CLAIM_EN.search(yes) is not None or _names_self(yes, lang, debtor_name)


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
    del at
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
        return _second_factor_said(state, text, parse)
    if parse.intent == "affirm" and asks_back(text, state.facts.lang, state.facts.debtor_name):
        return unclear(state, lead="identity_neutral")
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
    return unclear(held(state, text, parse), lead="verify_first")


def name_answer(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> Parse:
    """The parse of an answer to "is this {name}?" as verification reads it. "yes it's me
    what's this about": the words say yes first, while the classifier, hearing the question,
    often says ``ask_identity`` (or nothing): read as a "yes" scored at the bar its words need
    (``PLAIN_YES_MIN_CONFIDENCE``); the recogniser's bar still applies."""
    if parse.intent not in ("ask_identity", "out_of_scope", "third_party"):
        return parse
    if not _names_self(text, lang, debtor_name) and (
        parse.intent == "third_party" or not answered_then_asked(text, lang, debtor_name)
    ):
        return parse
    return Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, parse.entities, parse.asr_confidence)


def _names_self(text: str, lang: str, debtor_name: str | None) -> bool:
    """ "this is keisha", "keisha speaking", "我就是陈静": the answer is a plain yes that says the
    debtor's own name, or in Mandarin who speaks (是我, 我就是, 本人: the classifier, hearing a
    name it does not know or a yes the recogniser garbled, often calls it a third party or
    nothing)."""
    if not debtor_name or not plain_yes(text, lang, debtor_name):
        return False
    if lang == "zh" and (_ZH_SELF_CLAIM.search(text) or zh_says_who_by_sound(text)):
        # 是我 / 我就是 / 本人 say who speaks, also heard as other characters (安适我说吧)
        return True
    folded = text.lower()
    parts = re.findall(r"[A-Za-z']{2,}", debtor_name.lower()) if lang == "en" else [debtor_name]
    return any(re.search(rf"(?<![a-z']){re.escape(p)}(?![a-z'])", folded) for p in parts)


def confident_yes(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> bool:
    """Whether ``parse`` of ``text`` is a clear, confidently heard "yes" (see the docstring):
    the NLU's affirm score passes the high threshold, or it passes the lower one and the words
    read as a plain "yes, that's me" on their own (``nlu.affirmation.plain_yes``)."""
    if parse.intent != "affirm" or parse.confidence < PLAIN_YES_MIN_CONFIDENCE:
        return False
    if parse.confidence < AFFIRM_MIN_CONFIDENCE and not plain_yes(text, lang, debtor_name):
        return False
    return (
        heard_clearly(parse, lang)
        and judge(text, lang) is Hearing.SPEECH
        and not asks_back(text, lang, debtor_name)
    )


def plausible_yes(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> bool:
    """A "yes" that does not verify alone but would as one of two in a row: the words read as a
    plain "yes, that's me" (``plain_yes``), the NLU calls it ``affirm`` at the lower bar, the
    recogniser heard it at ``SECOND_YES_ASR_MIN`` at least, and it is plain speech that does not
    ask back. Calibrated on the spoken corpus (docs/nlu.md, "A second yes")."""
    least = SECOND_YES_ASR_MIN.get(lang, max(SECOND_YES_ASR_MIN.values()))
    return (
        parse.intent == "affirm"
        and parse.confidence >= PLAIN_YES_MIN_CONFIDENCE
        and parse.asr_confidence is not None
        and parse.asr_confidence >= least
        and plain_yes(text, lang, debtor_name)
        and judge(text, lang) is Hearing.SPEECH
        and not asks_back(text, lang, debtor_name)
    )


def heard_clearly(parse: Parse, lang: str) -> bool:
    """The recogniser vouches for the text (unknown confidence does not)."""
    least = ASR_MIN_CONFIDENCE.get(lang, max(ASR_MIN_CONFIDENCE.values()))
    return parse.asr_confidence is not None and parse.asr_confidence >= least


def name_confirmed(state: DialogueState) -> Result:
    if state.facts.verification is VerificationMode.NAME:
        return verified(state)
    state = state.to(Stage.VERIFY_SECOND)
    return state, ask(state)


def unclear(state: DialogueState, lead: str | None = None) -> Result:
    """Not a usable answer: ask again in other words (twice), then the keypad, then close
    politely without a word about why we called (``Outcome.UNVERIFIED``)."""
    misses = state.misses + 1
    state = replace(state, misses=misses)
    if misses <= MAX_REPROMPTS and lead is not None:  # a question of theirs: ours again
        return state, [say(state, lead), *ask(state)]
    if misses <= MAX_REPROMPTS:
        return state, [say(state, "reprompt." + ask_key(state), misses - 1)]
    if misses == MAX_REPROMPTS + 1:
        if state.stage is Stage.VERIFY_SECOND:
            return state, [say(state, "keypad_offer_digits"), AskDTMF("verify_second", 4)]
        return state, [say(state, "keypad_identity"), AskDTMF("verify_identity", 1)]
    return end(state.noted("unverified"), Outcome.UNVERIFIED, "unverified_close")


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


def _second_factor_said(state: DialogueState, text: str, parse: Parse) -> Result:
    lang = state.facts.lang
    about_debt = about_the_debt(parse)
    # a year said as one ("八八年的 礼拜五还两千") is the answer even beside words about the debt,
    # which are then held; any other digits beside them are the debt's, never the factor
    year = said_year(text, lang) if state.facts.birth_year is not None else None
    if judge(text, lang) in (Hearing.SPEECH, Hearing.REPETITION) and (year or not about_debt):
        digits = (year if about_debt else None) or spoken_digits(text, lang)
        if digits and _factor_shaped(state, digits):
            state = held(state, text, parse)
            return check_second_factor(state, digits, exact=heard_clearly(parse, lang))
    if about_debt and judge(text, lang) is Hearing.SPEECH:  # understood: help after verifying
        return unclear(held(state, text, parse), lead="verify_first")
    return unclear(state)


def _factor_shaped(state: DialogueState, digits: str) -> bool:
    """Digits that can be the factor asked for: a year said in two or four digits ("eighty
    three", "1983"), at least the four digits of an id; an amount of 200 is neither."""
    if state.facts.verification is VerificationMode.NAME_AND_ID_LAST4:
        return len(digits) >= 4
    return len(digits) in (2, 4)


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
