"""The negotiation ladder: full payment → promise to pay → payment plan → an agent."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from core.dialogue import (
    AmountEntity,
    DateEntity,
    DialogueCommand,
    Entity,
    Intent,
    Outcome,
    Parse,
    RecordHardship,
    RecordPaymentPlan,
    RecordPromise,
    ScheduleCallback,
    TransferToAgent,
)
from core.money import Money
from nlu.entities import extract_entities
from nlu.numbers import en_words_to_decimal, zh_to_decimal
from nlu.policy.common import (
    CALL_WORD,
    Result,
    ask,
    end,
    latest_promise_date,
    plan_installments,
    reprompt,
    say,
    summary,
)
from nlu.policy.offers import unsaid
from nlu.policy.state import DialogueState, Stage
from nlu.text import prepare
from nlu.training_data import normalize

# an amount offered above this many times the balance is a mis-hearing, not an offer (more than
# the balance but below it is read as the full balance)
IMPLAUSIBLE_OVER_BALANCE = 3


def ask_full(state: DialogueState, parse: Parse, text: str = "") -> Result:
    parse = offered(state, text, parse)
    if parse.amount or parse.date:
        return fill_promise(state.to(Stage.PROMISE), parse)
    match parse.intent:
        case "affirm":  # a yes to "could you pay the full amount today?": the full, today
            state = replace(
                state.to(Stage.CONFIRM_PROMISE),
                promise_amount=state.facts.balance,
                promise_date=state.today,
            )
            return state, [say(state, "confirm_promise")]
        case "promise_to_pay":  # "I'll pay it": which day is still to say
            state = replace(state.to(Stage.PROMISE), promise_amount=state.facts.balance)
            return state, [say(state, "ask_promise_date")]
        case "deny":
            state = state.to(Stage.PROMISE)
            return state, [say(state, "offer_partial")]
        case "installment":
            return offer_plan(state)
    return reprompt(state)


def promise(state: DialogueState, parse: Parse, text: str = "") -> Result:
    parse = offered(state, text, parse)
    if parse.amount or parse.date:
        return fill_promise(state, parse)
    match parse.intent:
        case "deny" | "installment":
            return offer_plan(state)
        case "affirm" | "promise_to_pay":
            return state, _ask_missing(state)
    return reprompt(state)


_NEGATION = {
    "en": re.compile(
        r"\b(?:can'?t|cannot|can not|won'?t|wouldn'?t|unable|not able|no way|don'?t have|"
        r"couldn'?t)\b(?!.*\b(?:until|till|before|til)\b)"
    ),
    # not the tag question's 不 ("行不行", "能不能", "够不够", "可不可以": asking, not refusing)
    "zh": re.compile(
        r"(?<!行)不行|(?<!能)不能|(?<!够)不够|(?<!可)不可以|不了|不起|没法|没办法|拿不出|还不上|没有那么多"
    ),
}
_CONTRAST = {
    "en": re.compile(r"\b(?:but|however|though|although|instead)\b"),
    "zh": re.compile(r"但是|不过|可是|但|只能|先"),
}


# "not" in what follows a refusal: no offer ("no way, not a chance, not before friday")
_NOT_EN = re.compile(r"\b(?:not|never|no)\b")
# the pause after a refusal, before what is offered instead
_NEXT_CLAUSE = {
    # (unpunctuated, as the recogniser prints it: "i cant pay all that i can do two hundred")
    "en": re.compile(r"[,.;!?]+|\b(?:maybe|just|only)\b|\s(?=i (?:can|could|'?ll|will|might) )"),
    "zh": re.compile(r"[,，。.;；!！?？\s]+"),
}


def offered(state: DialogueState, text: str, parse: Parse) -> Parse:
    """What the debtor offers: "I can't pay the 1250 today" offers nothing (it is a no), "I can't
    pay it all, but I can do 300 on friday" offers what follows the "but"."""
    lang = state.facts.lang
    prepared = prepare(text, lang)
    if not prepared or not _NEGATION[lang].search(prepared):
        return unsaid(state, prepared, parse)
    if lang == "zh" and (after := _after_refusal_zh(prepared, state)):
        *_, last = _NEGATION["zh"].finditer(prepared)
        return Parse(_offer_intent(prepared[last.end() :]), parse.confidence, after)
    parts = _CONTRAST[lang].split(prepared, maxsplit=1)
    if len(parts) == 2 and not _NEGATION[lang].search(parts[1]):
        entities = extract_entities(parts[1], lang, state.today)
        return Parse(_offer_intent(parts[1]), parse.confidence, entities)
    last = [*_NEGATION[lang].finditer(prepared)][-1]
    rest = _NEXT_CLAUSE[lang].split(prepared[last.end() :], maxsplit=1)
    offering = len(rest) == 2 and not (
        _NEGATION[lang].search(rest[1]) or CALL_WORD.search(rest[1]) or _NOT_EN.search(rest[1])
    )
    if offering and (offer := extract_entities(rest[1], lang, state.today)):
        # "full amount no way, 80 dollars": what is offered after the refusal, in a clause of
        # its own ("I can't pay 200 on friday" offers nothing)
        return Parse(_offer_intent(rest[1]), parse.confidence, offer)
    return Parse("deny", parse.confidence, ())


def _offer_intent(offer: str) -> Intent:
    """ "I can't pay it all, but I could do 200 a month", "一下子拿不出来 能不能每个月还两百": an
    amount a month after the no asks for a plan, not one payment of that amount."""
    return "installment" if said_monthly(offer) else "promise_to_pay"


_BREAK_ZH = re.compile(r"[,，。.!！;；、\s]|但是|不过|可是|但|只能|先")


def _after_refusal_zh(prepared: str, state: DialogueState) -> tuple[Entity, ...]:
    """Mandarin: the day said after the last refusal and the amount said after its clause,
    whether or not a "but" leads them ("全部还不了 这个月二十号 先还一千五", also unpunctuated);
    "还不了两千" offers nothing (the amount right after the refusal is what is refused)."""
    *_, last = _NEGATION["zh"].finditer(prepared)
    after = prepared[last.end() :]
    days = [e for e in extract_entities(after, "zh", state.today) if isinstance(e, DateEntity)]
    cut = _BREAK_ZH.search(after)
    rest = after[cut.end() :] if cut else ""
    amounts = [e for e in extract_entities(rest, "zh", state.today) if isinstance(e, AmountEntity)]
    return (*days, *amounts)


LATE_DAY = "promise_day_past_window"  # noted when a day past the promise window was offered


def fill_promise(state: DialogueState, parse: Parse) -> Result:
    """Take the amount and date said, check them against the limits, ask for what is missing."""
    facts, limits = state.facts, state.facts.limits
    commands: list[DialogueCommand] = []
    if parse.amount is not None:
        amount = Money.of(parse.amount.value, facts.balance.currency)
        if amount.amount > facts.balance.amount * IMPLAUSIBLE_OVER_BALANCE:
            # a mis-hearing ("一千二" heard "一千二亿"), not an offer: asked again, never read
            # back as the full balance
            state = replace(state, promise_amount=None)
        elif amount < limits.min_promise:
            state = replace(state, promise_amount=None)
            commands.append(say(state, "amount_too_low"))
        else:
            capped = facts.balance if facts.balance < amount else amount
            state = replace(state, promise_amount=capped)
    if parse.date is not None:
        if parse.date.value > latest_promise_date(state):
            if LATE_DAY in state.notes:  # a second day past the window: the ladder's next rung
                plan, asked = offer_plan(state)  # (its first payment is inside the window)
                return plan, [*commands, say(state, "date_too_late"), *asked]
            state = replace(state, promise_date=None).noted(LATE_DAY)
            commands.append(say(state, "date_too_late"))
        else:
            state = replace(state, promise_date=parse.date.value)
    if state.promise_amount is not None and state.promise_date is not None:
        state = state.to(Stage.CONFIRM_PROMISE)
        return state, [*commands, say(state, "confirm_promise")]
    state = state.to(Stage.PROMISE)
    return state, [*commands, *_ask_missing(state)]


def _ask_missing(state: DialogueState) -> list[DialogueCommand]:
    if state.promise_amount is None:
        return [say(state, "ask_promise_amount")]
    if state.promise_date is None:
        return [say(state, "ask_promise_date")]
    return ask(state)


# a bare assent to a read-back ("mm-hm", 嗯嗯, 系呀): the classifier often calls it nothing
_ASSENT = re.compile(
    r"(?:mm+[- ]?hm+|mhm+|uh[- ]?huh|yeah yeah|ok(?:ay)?|alright|all right|right|sure thing"
    r"|嗯+|好+|行+|可以|系[呀啊嘅]?|得|好嘅|中|要得|对头)[\s,.!。！，]*"
)


def assents(text: str, parse: Parse) -> bool:
    """A yes to "is that correct?": an affirmation, an acknowledgement, or a bare assent."""
    if parse.intent in ("affirm", "acknowledge"):
        return True
    return parse.intent == "out_of_scope" and _ASSENT.fullmatch(text.strip().lower()) is not None


# a yes that opens the answer to the read-back, then a question how to pay ("yes but can i pay by
# card"): the yes confirms; the close tells the ways to pay
_OPENS_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|correct|that'?s (?:right|correct)|right|ok(?:ay)?|sure)\b(?![\s,]*no\b)"
    r"|^(?:对|是的?|好的?|行|可以)(?!不)"
)


def yes_then_how(text: str, parse: Parse) -> bool:
    """To the read-back, a yes and then a question how to pay: the yes confirms."""
    return parse.intent == "ask_payment_method" and bool(_OPENS_YES.match(text.strip().lower()))


def confirm_promise(state: DialogueState, parse: Parse, text: str = "") -> Result:
    confirmed = assents(text, parse) or yes_then_how(text, parse)
    if confirmed and state.promise_amount and state.promise_date:
        record = RecordPromise(state.promise_amount, state.promise_date)
        state, commands = end(state, Outcome.PROMISE_TO_PAY, "promise_thanks")
        return state, [record, *commands]
    if parse.amount or parse.date:
        return fill_promise(state, parse)
    if parse.intent in ("deny", "refuse"):
        state = replace(state.to(Stage.PROMISE), promise_amount=None, promise_date=None)
        return state, [say(state, "promise_restart")]
    return reprompt(state)


def offer_plan(state: DialogueState) -> Result:
    state = replace(state.to(Stage.OFFER_PLAN), promise_amount=None, promise_date=None)
    return state, ask(state)


def plan(state: DialogueState, text: str, parse: Parse) -> Result:
    count = installment_count(text, state.facts.lang)
    allowed = state.facts.limits.plan_lengths
    if count is not None and count in allowed:
        state = replace(state.to(Stage.CONFIRM_PLAN), plan_count=count)
        return state, [say(state, "confirm_plan")]
    if count is not None:
        return state, [say(state, "plan_length_not_allowed")]
    if parse.amount is not None and parse.date is None:  # "a hundred a month I could do"
        return plan_for_monthly(state, parse.amount.value)
    if parse.date is None and declines_plan(text, state.facts.lang):
        return to_agent(state, "negotiation_exhausted")
    if parse.date is not None and parse.intent == "promise_to_pay" and not said_monthly(text):
        # "I'll pay two fifty on the fifteenth" at "how many months?": one payment, the lead
        # followed (the promise's limits and read-back as anywhere)
        return fill_promise(state, parse)
    match parse.intent:
        case "affirm" | "installment":
            return state, [say(state, "ask_plan_count")]
        case "hardship" if not state.hardship:  # told first at the plan's offer
            state = replace(state, hardship=True).noted("hardship")
            new, commands = to_agent(state, "negotiation_exhausted")
            return new, [RecordHardship(text), *commands]
        case "deny" | "refuse" | "hardship":
            return to_agent(state, "negotiation_exhausted")
    return reprompt(state)


# the plan itself refused, said with the plan's own word (分期也还不起, 不分期, 每个月也还不上,
# "I can't do a plan either", "no payment plan"): the classifier reads 分期 / "plan" as asking for
# one. Not when something else is offered in its place (不分期，我一次还清) or it is conditional
# (分期不行的话…, "if a plan doesn't work"): those go on as said.
_DECLINES_PLAN_ZH = re.compile(
    r"^(?:不|别|不要|不用|不想)分期"
    r"|(?:分期|分几个月|分几期|按月|每个?月)[^，。？！?,]{0,6}?"
    r"(?:也|都|还是)?(?:还不起|还不上|还不了|付不起|付不了|交不起|不行|不要|不用|没办法|没用|不可能|不想)"
)
_PLAN_WORDS_EN = r"(?:payment\s+)?(?:plan|plans|installments?|monthly payments?)"
_DECLINES_PLAN_EN = re.compile(
    rf"\bno\s+{_PLAN_WORDS_EN}\b"
    r"|\bnot\s+(?:doing|interested in|taking|signing up for)\s+(?:a|any|the|that)?\s*"
    rf"{_PLAN_WORDS_EN}\b"
    r"|\b(?:can'?t|cannot|can not|won'?t|couldn'?t|don'?t want)\s+"
    r"(?:do|afford|make|manage|pay|handle)?\s*(?:a|any|the|that|those|monthly)?\s*"
    rf"{_PLAN_WORDS_EN}\b"
)
_CONDITIONAL = re.compile(r"的话|如果|要是|\bif\b|\bunless\b")
_OFFERS_INSTEAD = re.compile(r"一次|全部|全额|一起还|\ball\b|\bwhole\b|\bin full\b|\bat once\b")


def declines_plan(text: str, lang: str) -> bool:
    """The plan refused in the plan's own words, with nothing offered in its place."""
    said = normalize(prepare(text, lang))
    pattern = _DECLINES_PLAN_ZH if lang == "zh" else _DECLINES_PLAN_EN
    return bool(pattern.search(said)) and not (
        _CONDITIONAL.search(said) or _OFFERS_INSTEAD.search(said) or "?" in said or "？" in said
    )


def plan_for_monthly(state: DialogueState, monthly: Decimal) -> Result:
    """What the debtor can pay a month ("100 a month", 每个月还五百) turned into the plan it
    fits: the fewest months whose payment is within it, else the longest plan allowed (its
    payment is read back, and the debtor can say no)."""
    allowed = sorted(state.facts.limits.plan_lengths)
    balance = state.facts.balance.amount
    fits = [n for n in allowed if balance / n <= monthly]
    if not fits and state.stage is Stage.CONFIRM_PLAN and state.plan_count == allowed[-1]:
        return to_agent(state, "negotiation_exhausted")  # less again than the longest plan's
    count = fits[0] if fits else allowed[-1]
    state = replace(state.to(Stage.CONFIRM_PLAN), plan_count=count)
    return state, [say(state, "confirm_plan" if fits else "plan_longest")]


_MONTHLY = re.compile(
    r"\b(?:a|per|each|every) month\b|\bmonthly\b|每个?月|一个月(?:还|给|能|可以|就)|月供"
)


def said_monthly(text: str) -> bool:
    """ "a hundred a month", "每个月还五百": an amount said as a monthly rate."""
    return _MONTHLY.search(text.lower()) is not None


def confirm_plan(state: DialogueState, parse: Parse, text: str = "") -> Result:
    if assents(text, parse) and state.plan_count:
        record = RecordPaymentPlan(plan_installments(state, state.plan_count))
        state, commands = end(state, Outcome.PAYMENT_PLAN, "plan_thanks")
        return state, [record, *commands]
    if parse.amount is not None and parse.date is None:  # "could I do a hundred instead?"
        return plan_for_monthly(state, parse.amount.value)
    if parse.intent in ("deny", "refuse"):
        return to_agent(state, "negotiation_exhausted")
    return reprompt(state)


def to_agent(state: DialogueState, reason: str) -> Result:
    """The last rung: hand the call to a person, with a summary for their screen; when the
    campaign's agents take no transfers, a colleague's callback instead (no transfer)."""
    if not state.facts.agents_take_transfers:
        state = state.noted(reason).noted("transfers_off")
        new, commands = end(state, Outcome.CALLBACK_SCHEDULED, "transfer_failed")
        return new, [ScheduleCallback(None, "no transfers in this campaign"), *commands]
    key = "transfer_requested" if reason == "requested_by_debtor" else "transfer_negotiation"
    state = state.to(Stage.TRANSFERRING).noted(reason)
    return state, [
        say(state, key, interruptible=False),
        TransferToAgent(reason, summary(state, reason)),
    ]


_EN_COUNT = re.compile(
    r"(\d{1,2}|[a-z]+)\s+(?:monthly\s+)?(?:months?|payments?|installments?|instalments?|parts?)"
)
_ZH_COUNT = re.compile(r"([0-9一二两三四五六七八九十]{1,3})\s*(?:个月|期|次|个)")


def installment_count(text: str, lang: str) -> int | None:
    """How many installments the caller asked for: "six months", "3", 分三期, 十二个月."""
    text = normalize(prepare(text, lang))  # "Twelve." as the recogniser prints it
    if lang == "zh":
        m = _ZH_COUNT.search(text)
        raw = m.group(1) if m else re.sub(r"[吧啊呀嗯的]", "", text)
        value = (
            zh_to_decimal(raw) if re.fullmatch(r"[0-9一二两三四五六七八九十]{1,3}", raw) else None
        )
    else:
        m = _EN_COUNT.search(text)
        raw = m.group(1) if m else text
        value = en_words_to_decimal(raw) if len(raw.split()) <= 2 else None
    if value is None or value != int(value) or not 1 < value <= 60:
        return None
    if m is None and value > _BARE_COUNT_MAX:
        return None  # "fifty" alone: what a month, not fifty months
    return int(value)


# a number said alone at "how many months?" above this is money, not a count of months
_BARE_COUNT_MAX = 36
