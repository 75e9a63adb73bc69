"""A plan shaped by the debtor (integrator, session 10): an amount a month said after a no is a
plan, not one payment of that amount; the day a plan starts is the debtor's when it is inside the
campaign's promise window, else the latest day allowed, said so and read back."""

from __future__ import annotations

from datetime import date

import pytest
import test_nlu_mixed_initiative as mixed_initiative

from core.dialogue import DialogueCommand, Lang, RecordPaymentPlan, RecordPromise, Say
from nlu.policy import DialogueState, Stage

# the calls of test_nlu_mixed_initiative: today is Sunday 29 November 2026, and the demo case's
# promise window is 14 days: up to 13 December
LATEST = date(2026, 12, 13)
YES = {"en": "yes", "zh": "是我"}


def talk(lang: Lang, *lines: str) -> tuple[DialogueState, list[DialogueCommand]]:
    """A verified-by-name call of the demo case, the debtor's yes first, then ``lines``."""
    return mixed_initiative.talk(lang, YES[lang], *lines)


def plan_of(commands: list[DialogueCommand]) -> RecordPaymentPlan:
    (record,) = [c for c in commands if isinstance(c, RecordPaymentPlan)]
    return record


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I can't pay all that, but I could do two hundred a month"),
        ("en", "no way I can do the whole thing, maybe like a hundred fifty every month?"),
        ("zh", "我一下子拿不出来 能不能每个月还五百"),
        ("zh", "全部还不了 每个月还四百行吗"),
    ],
)
def test_an_amount_a_month_after_a_no_is_a_plan(lang: Lang, line: str) -> None:
    state, commands = talk(lang, line)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_count is not None
    assert state.promise_amount is None
    assert not any(isinstance(c, RecordPromise) for c in commands)


@pytest.mark.parametrize(
    ("lang", "line", "amount"),
    [
        ("en", "I can't pay it all but I can do 300 on friday", 300),
        ("zh", "全部还不了 这周五先还一千", 1000),
    ],
)
def test_one_amount_on_one_day_after_a_no_stays_a_promise(
    lang: Lang, line: str, amount: int
) -> None:
    state, _ = talk(lang, line)
    assert state.promise_amount is not None
    assert state.promise_amount.amount == amount
    assert state.promise_date == date(2026, 12, 4)
    assert state.plan_count is None


@pytest.mark.parametrize(
    ("lang", "ask", "start_on", "yes"),
    [
        ("en", "can we do six months", "can we start on the tenth instead", "yes"),
        ("en", "six months please", "could the first one be on december 11th", "sure"),
        ("zh", "分六期吧", "从十号开始吧", "可以"),
        ("zh", "六个月", "第一期能不能放到十一号", "好的"),
    ],
)
def test_a_day_said_at_the_plan_read_back_is_its_first_payment(
    lang: Lang, ask: str, start_on: str, yes: str
) -> None:
    _, commands = talk(lang, "no", "no", ask, start_on, yes)
    plan = plan_of(commands)
    first = plan.installments[0].due
    assert first in (date(2026, 12, 10), date(2026, 12, 11))
    assert plan.installments[1].due == first + (date(2027, 1, 9) - date(2026, 12, 10))
    assert len(plan.installments) == 6
    assert not any(isinstance(c, RecordPromise) for c in commands)


@pytest.mark.parametrize(
    ("lang", "start_on"),
    [
        ("en", "can we start in january, like january 15th"),
        ("zh", "明年一月十五号开始吧"),
    ],
)
def test_a_day_past_the_window_starts_the_plan_on_the_latest_day_said_so(
    lang: Lang, start_on: str
) -> None:
    state, commands = talk(lang, "no", "no", "six months" if lang == "en" else "分六期", start_on)
    keys = [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]
    assert keys[-2:] == ["date_too_late", "confirm_plan"]
    assert state.plan_first_due == LATEST
    state, more = talk(lang, "no", "no", "six months" if lang == "en" else "分六期", start_on,
                       "yes" if lang == "en" else "好")  # fmt: skip
    assert plan_of(more).installments[0].due == LATEST


@pytest.mark.parametrize(
    ("lang", "line", "first"),
    [
        ("en", "I can't do it all, could I pay a hundred fifty a month starting the 5th", 5),
        ("zh", "我每个月还五百 从八号开始", 8),
    ],
)
def test_an_amount_a_month_from_a_day_is_one_plan(lang: Lang, line: str, first: int) -> None:
    state, _ = talk(lang, line)
    assert state.stage is Stage.CONFIRM_PLAN
    assert state.plan_first_due == date(2026, 12, first)
    assert state.promise_amount is None
    assert state.promise_date is None


def test_a_one_off_payment_said_at_the_plan_question_is_a_promise() -> None:
    state, _ = talk("en", "no", "no", "actually I can pay 300 on friday")
    assert state.promise_amount is not None
    assert state.promise_amount.amount == 300
    assert state.promise_date == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("lang", "count", "about"),
    [("en", "six months", "about 208 dollars,"), ("zh", "分六期", "每期大约五百八十三元，")],
)
def test_the_plan_read_back_says_about_whole_units(lang: Lang, count: str, about: str) -> None:
    _, commands = talk(
        lang, "no" if lang == "en" else "不行", "no" if lang == "en" else "不行", count
    )
    said = [c.text for c in commands if isinstance(c, Say)][-1]
    assert about in said
    for fraction in ("cents", "角", "分，"):
        assert fraction not in said


@pytest.mark.parametrize(
    ("lang", "first", "again"),
    [
        ("en", "I can do three hundred on january fifth", "no, I can't before then, only jan 5th"),
        ("zh", "我明年一月五号还一千二吧", "不行 只能一月五号"),
    ],
)  # fmt: skip
def test_a_second_day_past_the_window_offers_the_plan(lang: Lang, first: str, again: str) -> None:
    state, commands = talk(lang, first)
    keys = [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]
    assert keys[-2:] == ["date_too_late", "ask_promise_date"]  # the rule said once, and asked
    state, commands = talk(lang, first, again)
    keys = [c.prompt_key.split("#")[0] for c in commands if isinstance(c, Say)]
    assert keys[-2:] == ["date_too_late", "offer_plan"]
    assert state.stage is Stage.OFFER_PLAN
    assert state.promise_date is None
