"""``decide(state, event) -> (state, commands)``: the collection dialogue as a pure function.

Order of precedence for an utterance: abusive language, then the intents with legal weight
(stop calling, request an agent), then right-party verification (nothing about the debt is said
before it succeeds), then the asides any stage accepts, then the stage's own question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

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
    Say,
    ScheduleCallback,
    SilenceTimedOut,
    TransferFailed,
    UtteranceHeard,
)
from nlu.asking import knows_nobody, reachable_later, speaks_as_relation
from nlu.legal_en import no_calls_at_work
from nlu.policy import asides, paid
from nlu.policy import negotiation as neg
from nlu.policy.bereavement import bereaved, estate_answer
from nlu.policy.cease import cease
from nlu.policy.common import Result, ask, end, reprompt, say, upcoming
from nlu.policy.first_answers import without_leading_invitation
from nlu.policy.handover import hands_over, silence_on_hold, wait
from nlu.policy.machine import heard_machine, machine_answered
from nlu.policy.names import with_debtor_name
from nlu.policy.state import DialogueState, Stage
from nlu.policy.verification import (
    OPENING,
    PLAIN_YES_MIN_CONFIDENCE,
    VERIFYING,
    about_the_debt,
    answered,
    asked_again,
    claimed_asked_who,
    factor_plainly,
    held,
    keypad,
    name_answer,
    named_after_asking,
    opening,
    second_factor_said,
    unclear,
    unverified_elsewhere,
    yes_then_aside,
    yes_then_more,
)
from nlu.rules import is_abusive, says_wrong_number
from nlu.text import colloquial_words, mandarin_words
from nlu.text_en import identity_slips_en

# a hand-over heard less surely than this is noise, not a reason to hold (the hold restarts
# the question's count): "等一会。" out of a cough at 0.1
HOLD_ASR_MIN = 0.3
# a classifier guess below this does not end a call (rules give 1.0, the keypad too)
END_CALL_MIN_CONFIDENCE = 0.5


# what the debtor asked for or claimed is kept when they hang up before the details
_RECORDED_IF_GONE: dict[Stage, Callable[[DialogueState], Result]] = {
    Stage.CALLBACK_TIME: asides.callback_unanswered,
    Stage.ALREADY_PAID: paid.close,
    Stage.THIRD_PARTY_TIME: asides.third_party_unanswered,
}
# a hang-up in these stages ends the call as what it already was
_HUNG_UP_IN = {Stage.TRANSFERRING: Outcome.TRANSFERRED, Stage.ESTATE_CONTACT: Outcome.DECEASED}


def decide(state: DialogueState, event: DialogueEvent) -> Result:
    if state.ended:
        return state, []
    if state.stage is Stage.ESTATE_CONTACT and isinstance(
        event, UtteranceHeard | DtmfReceived | SilenceTimedOut
    ):  # after a death report, one answer ends the call whatever it is
        return estate_answer(state, event)
    match event:
        case CallAnswered(at=at):
            return answered(state, at)
        case MachineDetected():
            return machine_answered(state, event)
        case UtteranceHeard(text=text, parse=parse):
            if heard_machine(state, text):
                return machine_answered(state, MachineDetected("heuristic", text))
            after_yes, before = state.weak_yes, replace(state, weak_yes=False)
            heard = _heard(before, text, upcoming(parse, state.today), after_yes=after_yes)
            if heard[0].on_hold and heard[0].handovers == before.handovers:  # somebody came
                heard = replace(heard[0], on_hold=False), heard[1]
            return _then_held(before, heard)
        case DtmfReceived(digits=digits):
            return _then_held(state, _dtmf(replace(state, weak_yes=False), digits))
        case SilenceTimedOut():
            state = replace(state, weak_yes=False)
            if unverified_elsewhere(state):  # on hold for an agent: nothing to ask
                return state, []
            holding = silence_on_hold(state)  # the phone handed over: whoever comes, comes
            if holding is not None:
                return holding
            if state.stage is Stage.CALLBACK_TIME:  # "call me later" then no word: booked
                return asides.callback_unanswered(state)
            if state.stage is Stage.THIRD_PARTY_TIME:  # "he's not in" then no word
                return asides.third_party_unanswered(state)
            if state.stage is Stage.ALREADY_PAID and state.misses:  # the claim is never lost
                return paid.close(state)
            return unclear(state) if state.stage in VERIFYING else reprompt(state)
        case BargedIn() | PlaybackFinished():
            return state, []
        case TransferFailed():
            state = state.noted("transfer_failed")
            schedule = ScheduleCallback(None, "transfer failed")
            new, commands = end(state, Outcome.CALLBACK_SCHEDULED, "transfer_failed")
            return new, [schedule, *commands]
        case CallerHungUp():
            if state.stage in _RECORDED_IF_GONE:  # a call back asked for, a payment claimed
                state, commands = _RECORDED_IF_GONE[state.stage](state)
                return state, [c for c in commands if not isinstance(c, Say)]
            outcome = _HUNG_UP_IN.get(state.stage, Outcome.HUNG_UP)
            state = replace(state, stage=Stage.ENDED, outcome=outcome)
            return state, [Hangup(outcome, state.notes)]


def _heard(
    state: DialogueState, text: str, parse: Parse, *, after_yes: bool = False, cursed: bool = False
) -> Result:
    if parse.intent == "deceased" and not unverified_elsewhere(state):  # before all: a death
        grieved = bereaved(state, text, parse)
        if not isinstance(grieved, Parse):
            return grieved
        parse = grieved  # the verified debtor's own loss, or unsurely heard
    if no_calls_at_work(text, state.facts.lang) and "no_calls_at_work" not in state.notes:
        state = state.noted("no_calls_at_work")  # the place refused; the rest is followed
    legal = parse.intent in ("stop_calling", "dispute", "request_agent")
    if not legal and not cursed and is_abusive(text, state.facts.lang):
        if parse.intent != "refuse" and about_the_debt(parse):  # "that shit was settled": heard
            return _cursing_about_the_debt(state, text, parse, after_yes=after_yes)
        if state.abuse_warned:
            return end(state.noted("abusive_language"), Outcome.REFUSED, "abuse_end")
        state = replace(state, abuse_warned=True)
        return state, [say(state, "abuse_warning"), *ask(state)]
    if (
        parse.intent == "stop_calling"
        and not state.verified
        and says_wrong_number(text.lower(), state.facts.lang)
    ):  # "there's no Tom here, quit calling this number": a stranger's number, not the debtor's
        parse = Parse("wrong_number", 1.0, parse.entities, parse.asr_confidence)  # cease
    if parse.intent == "stop_calling":  # honoured at once; a whole promise with it is kept
        return cease(state, text, parse)
    if parse.intent == "request_agent" and state.stage is not Stage.TRANSFERRING:
        return neg.to_agent(state, "requested_by_debtor")
    if unverified_elsewhere(state):  # e.g. waiting for an agent: the debt's questions wait too
        return state, []
    if (
        state.stage in (Stage.VERIFY_NAME, Stage.THIRD_PARTY_TIME)  # (not at the second factor)
        and (parse.asr_confidence is None or parse.asr_confidence >= HOLD_ASR_MIN)
        and hands_over(text, state.facts.lang)
    ):  # "hold on, here he is": whoever comes is asked again
        holding = wait(state)
        if holding is not None:
            return holding
    if state.stage is Stage.VERIFY_NAME:
        lang, name = state.facts.lang, state.facts.debtor_name
        # 系我 / 是俺 are 是我; "yeah, this is sheet." is "this is she"
        text = colloquial_words(mandarin_words(text)) if lang == "zh" else identity_slips_en(text)
        text = without_leading_invitation(text, lang)  # "go ahead, this is Tom"
        text = with_debtor_name(text, lang, name)  # "yes this is Jon" for John: his name
        yes = (
            yes_then_more(text, parse, lang, name)
            or named_after_asking(text, lang, name)
            or yes_then_aside(text, lang, name)
        )
        if yes is not None:  # "yes it's me, I already paid": the yes answers, the rest waits
            state = held(state, text, parse)
            text, parse = yes, Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, (), parse.asr_confidence)
        claimed = None if yes is not None else claimed_asked_who(state, text, parse)
        if claimed is not None:  # "this is gloria, who's calling?"
            return claimed
        parse = name_answer(text, parse, lang, name)  # "this is keisha": a claim of the name
    lang = state.facts.lang
    reachable = state.stage in VERIFYING and (
        reachable_later(text, lang, state.facts.debtor_name) or speaks_as_relation(text, lang)
    )
    if reachable:  # "try him some other time", "my dad's not home" (read as hardship), "she's
        # not here, what's this about" (third_party below the bar), "I'm his wife, just tell me
        # how much": whoever answered speaks for him, and is never a yes
        parse = Parse("third_party", max(parse.confidence, 0.6), parse.entities,
                      parse.asr_confidence)  # fmt: skip
    elif state.stage is Stage.VERIFY_NAME and knows_nobody(text, lang):  # "no, I don't know
        # him. what company is this?": a stranger, whatever they ask next
        parse = Parse("wrong_number", 1.0, parse.entities, parse.asr_confidence)
    if state.stage is Stage.VERIFY_SECOND and factor_plainly(state, text, parse):
        return second_factor_said(state, text, parse)  # "It's eighty five.": no third party
    if _would_end_call(state, parse) and parse.confidence < END_CALL_MIN_CONFIDENCE:
        if state.stage in VERIFYING:  # unsure who answered: the verification ladder
            return asked_again(state, text)
        return asides.unsure(state, text, parse)  # ask again rather than end the call on a guess
    if _guessed_wrong_number(state, parse):
        return asides.unsure(state, text, parse)
    if state.stage in OPENING:
        return opening(state, text, parse, after_yes=after_yes)
    aside = asides.aside(state, text, parse)
    if aside is not None:
        return aside
    return _stage(state, text, parse)


def _cursing_about_the_debt(
    state: DialogueState, text: str, parse: Parse, *, after_yes: bool
) -> Result:
    """Swearing that says something about the debt is answered: the first time with the warning
    before it, later as it is (the call ends for abuse only when nothing else was said)."""
    warned = state.abuse_warned
    state, commands = _heard(
        replace(state, abuse_warned=True), text, parse, after_yes=after_yes, cursed=True
    )
    return state, commands if warned or state.ended else [say(state, "abuse_warning"), *commands]


def _then_held(before: DialogueState, result: Result) -> Result:
    """Right after verification, what the debtor said about the debt before it ("yes it's me,
    I already paid last week") is answered, in place of the first ask."""
    state, commands = result
    if before.verified or not state.verified or state.ended or state.held is None:
        return result
    text, parse = state.held
    state, answer = _heard(replace(state, held=None), text, parse)
    return state, [*commands, *answer]


def _guessed_wrong_number(state: DialogueState, parse: Parse) -> bool:
    """In the already-paid step the debtor has said they paid; a wrong number there only by the
    classifier's guess ("I don't remember the date" scored 0.58) is read for the slot. Anywhere
    else it ends the call: a stranger verified on a mis-heard "yes" says "there's nobody called
    Daniel here" next."""
    return (
        state.stage is Stage.ALREADY_PAID
        and parse.intent == "wrong_number"
        and parse.confidence < 1.0
    )


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
            return neg.confirm_promise(state, parse, text)
        case Stage.OFFER_PLAN:
            return neg.plan(state, text, parse)
        case Stage.CONFIRM_PLAN:
            return neg.confirm_plan(state, parse, text)
        case Stage.ALREADY_PAID:
            return paid.answer(state, text, parse)
        case Stage.CALLBACK_TIME:
            return asides.callback_answer(state, text, parse)
    return state, []


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
