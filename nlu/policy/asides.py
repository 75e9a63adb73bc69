"""Mixed initiative after verification: the debtor's strongest intent wins, whatever was asked.

In every stage after the right party is verified, in this order: a dispute ends collection;
"wrong number" and "this is his wife" are believed; "I already paid" goes to the already-paid
step; a promise with an amount and/or a date becomes a promise in every stage (also when it
comes inside hardship or a callback request: "I lost my job, but I can do 150 on Friday");
hardship, installments, a callback, a refusal, the questions about the
amount, the payment methods or the caller are answered; an acknowledgement ("I know I'm
behind", 我知道) is taken as such and the stage's question is asked again. Anything else goes
to the stage's own question (``decide._stage``). Stop calling and an agent come before all of
this (``decide._heard``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.dialogue import (
    DialogueCommand,
    Outcome,
    Parse,
    RecordDisclosureReview,
    RecordDispute,
    RecordHardship,
)
from nlu.hours import later_today
from nlu.plans import plan_said
from nlu.policy import negotiation as neg
from nlu.policy import paid
from nlu.policy.common import (
    CALL_WORD,
    Result,
    ask,
    end,
    hour_named,
    reprompt,
    say,
    schedule,
    schedule_on,
)
from nlu.policy.offers import MINIMUM_STATED, asks_minimum
from nlu.policy.plan_start import PLAN_STAGES, plan_day_said, shaped_plan
from nlu.policy.state import DialogueState, Stage
from nlu.rules import moved_away

# intents that may carry a promise's amount without naming it ("yes, 300 on friday")
_MAY_CARRY_AMOUNT = (
    "promise_to_pay", "affirm", "out_of_scope", "callback_later", "hardship", "acknowledge",
)  # fmt: skip
_SURE = 0.5  # a promise that ends the already-paid step must be a clear one
_PAY_WORD = re.compile(r"\b(?:pay|send|sending|paying|payment)\b|还|付|打款|转给")
_TALK_NOW = re.compile(
    r"\b(?:(?:can|could) talk|talk now|go ahead|i have (?:a|a few) minutes?|now is fine|now's fine)"
    r"|现在(?:可以|方便|有空|能说)|你说吧|那你说|你快说|快说吧|有话快说|有事快说|长话短说|说重点"
    r"|简单说|赶紧说|直说吧"
)
# the debtor takes back what they just asked for, mid-sentence
_TAKEN_BACK = re.compile(
    r"\b(?:never ?mind|no wait|wait no|actually no|no actually|forget (?:it|that|about it)"
    r"|scratch that|on second thought)\b|算了|不用了|还是现在|就现在"
)
# a day named after the change of mind keeps the call-back ("never mind, make it tomorrow")
_A_DAY = re.compile(
    r"\b(?:tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|weekend)\b"
    r"|明天|后天|周.|星期.|礼拜.|下周|下礼拜"
)


def aside(state: DialogueState, text: str, parse: Parse) -> Result | None:
    """The debtor's own initiative, acted on in any stage after verification (None: none)."""
    stage = state.stage
    match parse.intent:
        case "dispute":
            record = RecordDispute(text)
            new, commands = end(state, Outcome.DISPUTE, f"dispute_ack.{state.facts.jurisdiction}")
            return new, [record, *commands]
        case "wrong_number" if not moved_away(text, state.facts.lang):
            # (a verified debtor telling that someone else moved out has not left the line)
            review = _review(state, text)
            new, commands = end(state, Outcome.WRONG_NUMBER, "wrong_number")
            return new, [*review, *commands]
        case "third_party":
            state = state.to(Stage.THIRD_PARTY_TIME)
            return state, [*_review(state, text), say(state, "third_party_ask_time")]
        case "already_paid" if stage is not Stage.ALREADY_PAID:
            return paid.start(state, text)
    moved = plan_day_said(state, text, parse)
    if moved is not None:  # "can we start on the tenth": the plan's first payment, no promise
        return moved
    if stage is not Stage.CONFIRM_PROMISE:  # (the read-back handles amounts and dates itself)
        offer = neg.offered(state, text, parse)
        if is_promise(state, text, offer):
            return neg.fill_promise(state, offer)
    if stage is Stage.ALREADY_PAID and paid.names_a_slot(state, text):
        return paid.answer(state, text, parse)  # "用支付宝还的" answers, it is no question
    return _secondary(state, text, parse)


def _review(state: DialogueState, text: str) -> list[DialogueCommand]:
    """The debt was said (verified), and now the speaker is somebody else: a possible third-party
    disclosure, recorded for compliance (``RecordDisclosureReview``)."""
    return [RecordDisclosureReview(text)] if state.verified else []


def taken_back(text: str) -> bool:
    """A request said and then taken back in the same breath: a change of mind ("never mind",
    "算了") or "we can talk now" after other words, with no day or time named after it."""
    folded = text.lower()
    said = [*_TAKEN_BACK.finditer(folded), *_TALK_NOW.finditer(folded)]
    if not said or min(m.start() for m in said) == 0:
        return False  # "never mind, call me tomorrow": the change of mind came first
    after = folded[max(m.end() for m in said) :]
    return not (_A_DAY.search(after) or any(later_today(after, lang) for lang in ("en", "zh")))


def is_promise(state: DialogueState, text: str, parse: Parse) -> bool:
    """A promise said outside the ladder's questions: the promise intent with an amount or a
    date, or an amount under an intent that may carry one. In the already-paid step a date or
    an amount alone is about the past payment; asked for a callback time, a day alone ("friday")
    is the callback, "I can pay on friday" a promise."""
    if state.stage is Stage.ALREADY_PAID and (
        parse.confidence < _SURE or paid.channel_of(text, state.facts.lang) is not None
    ):
        return False  # "我25号在网银上转的" tells how it was paid, it promises nothing
    if state.stage is Stage.OFFER_PLAN and neg.installment_count(text, state.facts.lang):
        return False  # "twelve" asked how many months is the plan's length
    if _in_plan(state) and parse.amount is not None and parse.date is None:
        return False  # asked about a plan, a figure alone ("a hundred") is its monthly payment
    if parse.intent == "promise_to_pay":
        if parse.amount is None and state.stage is Stage.CALLBACK_TIME:
            return parse.date is not None and bool(_PAY_WORD.search(text.lower()))
        return parse.amount is not None or parse.date is not None
    if state.stage is Stage.ALREADY_PAID:
        return False
    if parse.intent == "installment" and parse.amount is not None:
        # "can I pay 700 on the 22nd?", "600 in three days", "uh like two fifty maybe": one
        # payment, no plan ("fifty a week" is one); asked about a plan, a figure alone is the
        # plan's monthly amount
        if parse.date is None and _in_plan(state):
            return False
        return not plan_said(text.lower())
    return parse.amount is not None and parse.intent in _MAY_CARRY_AMOUNT


def _in_plan(state: DialogueState) -> bool:
    """Asked about a plan (its offer or its read-back)."""
    return state.stage in PLAN_STAGES


def _secondary(state: DialogueState, text: str, parse: Parse) -> Result | None:
    stage = state.stage
    if stage in (Stage.ASK_FULL, Stage.PROMISE) and asks_minimum(text, state.facts.lang):
        # "what's the least I can pay?", 最少要还多少: the minimum and its last day, then how
        # much ("ok, I'll do that on wednesday": the minimum, ``offers``)
        state = state.to(Stage.PROMISE).noted(MINIMUM_STATED)
        return state, [say(state, "state_minimum"), *ask(state)]
    match parse.intent:
        case "hardship" if not state.hardship and stage is not Stage.OFFER_PLAN:
            # (at the plan's offer, "I can't afford a plan" is its answer: ``negotiation.plan``)
            state = replace(state, hardship=True).noted("hardship")
            new, commands = neg.offer_plan(state)
            return new, [RecordHardship(text), say(state, "hardship_empathy"), *commands]
        case "installment" if not _in_plan(state):
            return shaped_plan(state, text, parse)  # "a hundred a month from the 10th"
        case "callback_later" if stage is not Stage.CALLBACK_TIME:
            if taken_back(text):  # "call me at six, oh no wait, never mind, we talk now"
                return state, [say(state, "acknowledged"), *ask(state)]
            if parse.date is not None and _answers_the_day(state, text):
                return neg.fill_promise(state, parse)  # "tomorrow morning", asked what day
            if parse.date is not None or hour_named(state, text):  # "try me after three"
                return schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
            state = replace(state.to(Stage.CALLBACK_TIME), callback_request=text)
            return state, ask(state)
        case "refuse" if stage is not Stage.OFFER_PLAN:
            return end(state.noted("refused"), Outcome.REFUSED, "refuse_close")
        case "ask_payment_method" if stage is Stage.CONFIRM_PROMISE and neg.yes_then_how(
            text, parse
        ):
            return None  # "yes but can i pay by card": the read-back confirmed (its close tells)
        case "ask_amount" | "ask_payment_method" | "ask_identity":
            key = {"ask_amount": "state_debt", "ask_payment_method": "payment_methods"}
            answer: DialogueCommand = say(state, key.get(parse.intent, "identity_verified"))
            return state, [answer, *ask(state)]
        case "acknowledge":
            return state, [say(state, "acknowledged", state.misses), *ask(state)]
    return None


def _answers_the_day(state: DialogueState, text: str) -> bool:
    """Asked on what day they will pay, a day said with no word of a call ("tomorrow morning",
    "wednesday is good for me") is that day, not a time to call back ("call me tomorrow")."""
    asked_day = state.stage is Stage.PROMISE and state.promise_date is None
    return asked_day and not CALL_WORD.search(text.lower())


def unsure(state: DialogueState, text: str, guess: Parse) -> Result:
    """A guess too weak to end the call on: a slot step reads the text for its slot (or closes
    with what it has), any other stage asks again."""
    parse = Parse("out_of_scope", guess.confidence, guess.entities)
    if state.stage is Stage.THIRD_PARTY_TIME:  # "i don't know, try him tomorrow": the time
        return schedule(state, text, parse, Outcome.THIRD_PARTY, third_party=True)
    if state.stage is Stage.ALREADY_PAID:
        return paid.answer(state, text, parse)
    if state.stage is Stage.CALLBACK_TIME:
        return callback_answer(state, text, parse)
    return reprompt(state)


def callback_answer(state: DialogueState, text: str, parse: Parse) -> Result:
    """The answer to "when may we call you back?": a day, a time today, or asked once more."""
    if parse.date is not None or hour_named(state, text):
        return schedule(state, text, parse, Outcome.CALLBACK_SCHEDULED)
    if _TALK_NOW.search(text.lower()):  # changed their mind: back to the ladder's first question
        state = replace(state.to(Stage.ASK_FULL), promise_amount=None, promise_date=None)
        return state, ask(state)
    if later_today(text, state.facts.lang):
        return schedule_on(state, text, state.today, Outcome.CALLBACK_SCHEDULED)
    if state.misses:
        return callback_unanswered(state)
    return reprompt(state)


def third_party_unanswered(state: DialogueState) -> Result:
    """Whoever answered said the debtor is not there, then gave no time (a silence, a hang-up):
    the call ends as the third party it was, the call back left to the strategy. Not asked again
    and again, and never offered the debtor's keypad."""
    return schedule_on(state, "", None, Outcome.THIRD_PARTY, third_party=True)


def callback_unanswered(state: DialogueState) -> Result:
    """Asked when to call back, no answer (a silence, or unclear twice): the call back is booked
    on what the request said ("call me later, I'm driving": later today), else at any time. A
    busy debtor is not asked again and again."""
    request = state.callback_request
    day = state.today if later_today(request, state.facts.lang) else None
    return schedule_on(state, request, day, Outcome.CALLBACK_SCHEDULED)
