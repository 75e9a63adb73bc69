"""Helpers shared by the policy modules: prompt variables, asking, re-prompting, ending."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from core.dialogue import (
    AskDTMF,
    DateEntity,
    DialogueCommand,
    Hangup,
    Installment,
    Outcome,
    Parse,
    Say,
    ScheduleCallback,
)
from core.money import Money
from nlu.hours import delay_said, hour_said
from nlu.numbers import EN_UNITS, ZH_DIGITS, en_words_to_decimal, zh_to_decimal
from nlu.policy.script import money_text, speak_date, speak_money, speak_phone
from nlu.policy.state import ASK_PROMPT, MAX_REPROMPTS, DialogueState, Stage

Result = tuple[DialogueState, list[DialogueCommand]]


def variables(state: DialogueState) -> dict[str, str]:
    """Every value a prompt template may use; ``Say`` keeps only those it used."""
    f, lang = state.facts, state.facts.lang
    values = {
        "debtor_name": f.debtor_name,
        "agent_name": f.agent_name,
        "company": f.company,
        "product": f.product,
        "amount": speak_money(f.balance, lang),
        "days_overdue": str(f.days_past_due),
        "min_amount": speak_money(f.limits.min_promise, lang),
        "latest_date": speak_date(latest_promise_date(state), lang),
        "plan_lengths": plan_lengths_text(state),
        "payment_methods": f.payment_methods,
        "callback_contact": f.callback_contact,
        "callback_phone": speak_phone(f.callback_phone),
    }
    if state.promise_amount is not None:
        values["promise_amount"] = speak_money(state.promise_amount, lang)
    if state.promise_date is not None:
        values["promise_date"] = speak_date(state.promise_date, lang)
    if state.paid_on is not None:
        values["paid_date"] = speak_date(state.paid_on, lang)
    if state.paid_channel is not None:
        values["paid_channel"] = state.script.say("channel." + state.paid_channel).text
    if state.plan_count is not None:
        plan = plan_installments(state, state.plan_count)
        values["plan_count"] = str(state.plan_count)
        values["installment_amount"] = speak_money(_whole(plan[0].amount), lang)  # "about …"
        values["first_due"] = speak_date(plan[0].due, lang)
    return values


def _whole(money: Money) -> Money:
    """An amount said after "about", in whole units ("about 583 yuan", not 五百八十三元三角三分);
    an amount under one unit as it is."""
    whole = money.amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Money.of(whole, money.currency) if whole else money


def plan_installments(state: DialogueState, count: int) -> tuple[Installment, ...]:
    """The balance split in ``count`` equal payments (the last absorbs the rounding)."""
    balance, limits = state.facts.balance, state.facts.limits
    minor = balance.minor
    each = minor // count
    first = state.plan_first_due or state.today + timedelta(days=limits.plan_first_due_days)
    items = []
    for i in range(count):
        part = each if i < count - 1 else minor - each * (count - 1)
        due = first + timedelta(days=limits.plan_period_days * i)
        items.append(Installment(Money.from_minor(part, balance.currency), due))
    return tuple(items)


def latest_promise_date(state: DialogueState) -> date:
    return state.today + timedelta(days=state.facts.limits.max_promise_days)


def plan_lengths_text(state: DialogueState) -> str:
    lengths = [str(n) for n in state.facts.limits.plan_lengths]
    if state.facts.lang == "zh":
        return "、".join(lengths)
    return ", ".join(lengths[:-1]) + (" or " if len(lengths) > 1 else "") + lengths[-1]


def upcoming(parse: Parse, today: date) -> Parse:
    """``parse`` without the dates before ``today`` ("I paid it on Monday" carries last Monday):
    the dialogue's slots (promise, callback) take days to come; the already-paid step reads the
    past from the words itself."""
    kept = tuple(e for e in parse.entities if not (isinstance(e, DateEntity) and e.value < today))
    if len(kept) == len(parse.entities):
        return parse
    return Parse(parse.intent, parse.confidence, kept, parse.asr_confidence)


def say(state: DialogueState, key: str, variant: int = 0, *, interruptible: bool = True) -> Say:
    return state.script.say(key, variant, interruptible=interruptible, **variables(state))


def ask_key(state: DialogueState) -> str:
    if state.stage is Stage.VERIFY_SECOND:
        return (
            "ask_id_last4" if state.facts.verification == "name_and_id_last4" else "ask_birth_year"
        )
    if state.stage is Stage.PROMISE:
        return "ask_promise_amount" if state.promise_amount is None else "ask_promise_date"
    if state.stage is Stage.ALREADY_PAID and (state.paid_on is None) != (
        state.paid_channel is None
    ):
        return "already_paid_ask_date" if state.paid_on is None else "already_paid_ask_channel"
    return ASK_PROMPT.get(state.stage, "ask_full")


def ask(state: DialogueState) -> list[DialogueCommand]:
    """The current stage's question."""
    return [say(state, ask_key(state))]


def reprompt(state: DialogueState) -> Result:
    """No match or silence: rephrase up to twice, then offer the keypad, then give up."""
    misses = state.misses + 1
    state = replace(state, misses=misses)
    if misses <= MAX_REPROMPTS:
        return state, [say(state, "reprompt." + ask_key(state), misses - 1)]
    if misses == MAX_REPROMPTS + 1:
        purpose = "verify_second" if state.stage is Stage.VERIFY_SECOND else "yes_no_agent"
        digits = 4 if state.stage is Stage.VERIFY_SECOND else 1
        key = "keypad_offer_digits" if digits > 1 else "keypad_offer"
        if not state.facts.agents_take_transfers and f"{key}_no_agent" in state.script.prompts:
            key = f"{key}_no_agent"  # the campaign takes no transfers: "press 0" offers nothing
        return state, [say(state, key), AskDTMF(purpose=purpose, max_digits=digits)]
    return end(state.noted("no_response"), Outcome.HUNG_UP, "goodbye_no_response")


def end(state: DialogueState, outcome: Outcome, key: str | None = None) -> Result:
    commands: list[DialogueCommand] = []
    if key is not None:
        commands.append(say(state, key, interruptible=False))
    state = replace(state, stage=Stage.ENDED, outcome=outcome)
    commands.append(Hangup(outcome, state.notes))
    return state, commands


def schedule(
    state: DialogueState, text: str, parse: Parse, outcome: Outcome, *, third_party: bool = False
) -> Result:
    """End the call with a callback at the day the caller named (None: the strategy picks)."""
    day = parse.date.value if parse.date else None
    return schedule_on(state, text, day, outcome, third_party=third_party)


def schedule_on(
    state: DialogueState,
    text: str,
    day: date | None,
    outcome: Outcome,
    *,
    third_party: bool = False,
) -> Result:
    """End the call with ``outcome`` and a callback on ``day`` (None: at any time)."""
    at = callback_time(state, day, text)
    command = ScheduleCallback(at, text, with_third_party=third_party)
    key = "third_party_close" if third_party else "callback_close"
    state, commands = end(state, outcome, key)
    return state, [command, *commands]


# "call me later" with no hour, said after the case's usual hour: this long after the answer
LATER_TODAY = timedelta(hours=2)


def callback_time(state: DialogueState, day: date | None, text: str = "") -> datetime | None:
    """The callback instant, local time: the day the caller named (else today) at the hour he
    named ("tomorrow at ten", 下午三点以后), else at the case's usual hour; an hour alone that
    has passed is tomorrow's. None: neither a day nor an hour was said."""
    answered = state.answered_at
    delay = delay_said(text, state.facts.lang) if text else None
    if delay is not None and day is None and answered is not None:
        return answered + delay  # "call me back in an hour"
    hour = hour_said(text, state.facts.lang) if text else None
    if day is None and hour is None:
        return None
    zone = ZoneInfo(state.facts.timezone)
    at = datetime.combine(day or state.today, hour or time(state.facts.callback_hour), zone)
    if day == state.today and hour is None and answered is not None and at <= answered:
        return answered + LATER_TODAY  # "later today", said after the usual hour
    if day is None and answered is not None and at <= answered:
        at += timedelta(days=1)  # "call me at ten", said at three: tomorrow at ten
    return at


def hour_named(state: DialogueState, text: str) -> bool:
    """The caller named a time of day ("at ten", 下午三点, "this afternoon") or a delay ("in an
    hour", 半小时后)."""
    lang = state.facts.lang
    return hour_said(text, lang) is not None or delay_said(text, lang) is not None


# "八八年的 月底我还三千": the year said, not the amount after it
# a word of calling or talking: a day said with it is when to call back, not to pay
CALL_WORD = re.compile(
    r"\b(?:call|calling|ring|phone|reach|talk|speak|contact|text|busy|driving|at work|free"
    r"|later)\b|打|电话|联系|说|聊|忙|有空"
)
_ZH_YEAR = re.compile(r"([0-9零〇一二三四五六七八九]{2,4})年")
# English: 19xx alone, or any year after a word that says it is one ("born in 2001"); never an
# amount ("$1950", "1950 dollars", "I can do 2000")
_EN_YEAR = re.compile(
    r"(?:\b(?:born|birth|year)\b\D{0,12}\b(20[0-2]\d|19\d\d)\b)"
    r"|(?<![$\d.,])\b(19\d\d)\b(?!\s*(?:dollars|bucks|usd|[.,]\d))",
    re.I,
)


def said_year(text: str, lang: str) -> str | None:
    """A year said as one ("八八年的", "1985"), which stays a year inside a longer answer
    ("八八年的 礼拜五还两千", "1985, and I can pay 200 Friday"): its digits, else None."""
    if lang == "zh":
        year = _ZH_YEAR.search(text)
        return spoken_digits(year.group(), lang) if year else None
    found = _EN_YEAR.search(text)
    return (found.group(1) or found.group(2)) if found else None


def spoken_digits(text: str, lang: str) -> str:
    """Digits a caller said for a year or an id: "1985", "nineteen eighty five", "一九八五"."""
    year = _ZH_YEAR.search(text) if lang == "zh" else None
    text = year.group(1) if year else text
    found = "".join(re.findall(r"\d", text))
    if found:
        return found
    if lang == "zh":
        chars = [str(ZH_DIGITS[c]) for c in text if c in ZH_DIGITS]
        if chars and "十" not in text and "百" not in text:
            return "".join(chars)
        value = zh_to_decimal(re.sub(r"[^零〇一幺二两三四五六七八九十百千万]", "", text))
        return str(int(value)) if value else ""
    return _en_spoken_digits(text.lower())


def _en_spoken_digits(text: str) -> str:
    # ASR output carries punctuation ("Nineteen eighty five."): keep the words only
    words = [
        w for w in re.findall(r"[a-z]+", text) if w in EN_UNITS or w in ("hundred", "thousand")
    ]
    if words and all(EN_UNITS.get(w, 99) < 10 for w in words):
        return "".join(str(EN_UNITS[w]) for w in words)  # "one two three four"
    if "hundred" not in words and "thousand" not in words:
        return "".join(_en_groups(words))
    value = en_words_to_decimal(" ".join(words)) if words else None
    return str(int(value)) if value is not None else ""


def _en_groups(words: list[str]) -> list[str]:
    """A number said in groups, each below a hundred, as years and ids are ("nineteen eighty
    five" 1985, "twenty oh five" 2005, "twenty-four sixty-eight" 2468, "eighty three" 83): each
    group's digits, a tens word and its unit one group, a teen two digits, a unit one. A teen
    and a unit ("seventeen nine", tiny.en for "seventy-nine") are three digits: no year."""
    groups: list[str] = []
    at = 0
    while at < len(words):
        value = EN_UNITS[words[at]]
        unit = EN_UNITS.get(words[at + 1], 0) if at + 1 < len(words) else 0
        if value >= 20 and value % 10 == 0 and 1 <= unit <= 9:
            groups.append(str(value + unit))
            at += 2
            continue
        groups.append(str(value))
        at += 1
    return groups


def summary(state: DialogueState, reason: str) -> str:
    """A short, factual hand-over note for the agent's screen."""
    parts = [f"reason={reason}", f"stage={state.stage.value}", f"verified={state.verified}"]
    if state.promise_amount is not None:
        parts.append(f"offered={money_text(state.promise_amount)}")
    if state.promise_date is not None:
        parts.append(f"offered_date={state.promise_date.isoformat()}")
    if state.notes:
        parts.append("notes=" + ",".join(state.notes))
    return "; ".join(parts)
