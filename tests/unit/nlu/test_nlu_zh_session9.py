"""Mandarin families of session 9 (7 Dec 2026, branch zh5), each tested on lines other than the
held-out set's: a self-correction keeps the last amount as it keeps the last day (one shared
rule, ``nlu.corrections``), also across two turns; colloquial and dialect yeses (俺, 咱, 啥,
咋, 是滴, 嗯呐, 我本人, 系) verify while the strangers who talk the same way do not, nor a yes
that then says another name; ranges closing a number (三五百, 一千二三) read as their lower end;
一半 / 全部 / 还清 in a promise are a share of the balance; 转过去 with no 了 is to come."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_nlu_unseen_zh import amounts, call, days, parser  # a call heard exactly, Wed 2 Dec 2026

from core.dialogue import Outcome, RecordPromise, Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage
from nlu.text import colloquial_words

TODAY = date(2026, 12, 2)
FRIDAY, SATURDAY = date(2026, 12, 4), date(2026, 12, 5)


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("三千 不对 两千八 礼拜六", 2800),
        ("一万 哦不 八千", 8000),
        ("礼拜六先还五百 我是说六百", 600),
        ("一千二 改成一千五 礼拜六", 1500),
        ("礼拜六两千 算了 还是一千五吧", 1500),
        ("不是四百 是六百 礼拜六", 600),
        ("我借的不是三万 是八千", 8000),
        ("礼拜六还九百不对八百", 800),
        ("礼拜六 一千六 呃 应该是一千四", 1400),
        ("礼拜六还两千 不是 一千八", 1800),  # 不是 alone between pauses
    ],
)
def test_an_amount_taken_back_gives_way_to_the_one_said_after(line: str, amount: int) -> None:
    assert amounts(line) == [Decimal(amount)]


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("礼拜六还一千 不是两千", 1000),  # 不是 before the second withdraws the second
        ("礼拜六还两千 不行的话一千五", 2000),  # a fallback withdraws nothing
        ("两千 对 就两千 礼拜六", 2000),
        ("一千 两千都行", 1000),  # no correction: the first
        ("可不是两千嘛 礼拜六还 一千也行", 2000),  # 可不是: "isn't it", no 不是 of a figure
    ],
)
def test_an_amount_not_taken_back_stands(line: str, amount: int) -> None:
    assert amounts(line)[:1] == [Decimal(amount)]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("不是礼拜五 是礼拜六 还八百", SATURDAY),
        ("周五 算了 还是周六吧", SATURDAY),
        ("礼拜五 不对 礼拜六", SATURDAY),
        ("这礼拜五 不是 礼拜六", SATURDAY),
        ("礼拜六，不是这礼拜五", SATURDAY),  # 不是 right before a day withdraws it
    ],
)
def test_a_day_taken_back_the_same_way(line: str, day: date) -> None:
    assert days(line) == [day]


def test_a_correction_in_one_breath_is_the_promise_read_back() -> None:
    state, out = call("对 是我", "两千 不对 一千八 周五", "对")
    assert next(c for c in out if isinstance(c, RecordPromise)).amount.amount == Decimal(1800)
    assert state.promise_date == FRIDAY


def test_a_correction_of_the_read_back_in_the_next_turn() -> None:
    state, _ = call("对 是我", "周五还两千", "不对 是一千八")
    assert state.stage is Stage.CONFIRM_PROMISE
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(1800)
    assert state.promise_date == FRIDAY


@pytest.mark.parametrize(
    "line",
    [
        "对头 俺就是",
        "是滴 咱就是李明",
        "嗯呐 本人",
        "系啊 我系李明 乜事",
        "俺 俺就是 啥事啊",
        "是俺 干哈",
        "我本人 有啥事你说",
        "嗯哪 是俺 咋的",
    ],
)
def test_a_colloquial_yes_verifies(line: str) -> None:
    state, _ = call(line)
    assert state.verified


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
@pytest.mark.parametrize(
    "line",
    [
        "俺是他老婆 咋了",
        "咱是他爹 有啥事",
        "是我 王芳",  # yes, and then another name
        "对 张伟",
        "是俺 刘强",
        "嗯呐 你找谁",
        "啥事？",
        "咋了？",
        "嗯哪位",
        "俺不是",
        "是滴 俺是他老伴",
    ],
)
def test_a_stranger_talking_the_same_way_stays_unverified(
    line: str, mode: VerificationMode
) -> None:
    state, said = call(line, line, mode=mode)
    assert not state.verified
    assert not [c.text for c in said if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize(
    ("said", "plain"),
    [
        ("俺就是 啥情况", "我就是 什么情况"),
        ("咱们这没这人", "我们这没这人"),
        ("咋了", "怎么了"),
        ("是滴", "是的"),
        ("嗯呐 是我", "嗯 是我"),
        ("嗯哪位", "嗯哪位"),  # "mm, who?" stays
        ("俺 俺就是", "我就是"),
    ],
)
def test_colloquial_words(said: str, plain: str) -> None:
    assert colloquial_words(said) == plain


@pytest.mark.parametrize(
    ("line", "amount"),
    [
        ("礼拜五还个三五百", 300),
        ("礼拜五 一千二三", 1200),
        ("礼拜五还两千三四", 2300),
        ("礼拜五还个五六百", 500),
        ("礼拜五还一千二", 1200),  # no range
        ("礼拜五还三千五", 3500),
    ],
)
def test_a_range_reads_as_its_lower_end(line: str, amount: int) -> None:
    assert amounts(line) == [Decimal(amount)]


def test_all_of_it_in_a_promise_is_the_balance() -> None:
    state, _ = call("对 是我", "礼拜五全部还清", "对")
    assert state.outcome is Outcome.PROMISE_TO_PAY
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(3500)


def test_half_in_a_promise_is_half_the_balance() -> None:
    state, _ = call("对 是我", "一半吧 礼拜五")
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(1750)


@pytest.mark.parametrize(
    "line", ["一次性还清没办法", "礼拜五我一次性还不清", "全部的话 礼拜五还不上"]
)
def test_a_refusal_of_all_of_it_is_no_promise_of_all_of_it(line: str) -> None:
    state, _ = call("对 是我", line)
    assert state.promise_amount is None


def test_a_transfer_to_come_is_no_payment_made() -> None:
    got = parser().parse("礼拜六转过去一千", "zh", TODAY)
    assert got.intent == "promise_to_pay"
    assert days("礼拜六转过去一千") == [SATURDAY]
