"""Mandarin families of session 9, branch zh6, each tested on lines other than the held-out
sets': an approximate amount is read back as its round figure and corrected in the next turn;
one payment promised by a day to come with a share or no figure (先还一半 月底, 年前肯定还清) is a
promise, not a plan or a payment made; "no money" said outright (冇钱, 钱都没有) is hardship;
过了十五 is a day gone by, no amount; a festival day beyond the policy's limit is not recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_nlu_unseen_zh import amounts, call, parser  # a call heard exactly, Wed 2 Dec 2026

from core.dialogue import RecordPromise, Say
from nlu.policy.state import Stage

TODAY = date(2026, 12, 2)
FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("loose", "read_back", "correction", "amount"),
    [
        ("周五还八百来块", "八百元", "不对 是八百五", 850),
        ("两千出头吧 礼拜五", "两千元", "不是 两千三", 2300),
        ("周五 三千左右", "三千元", "三千二", 3200),
        ("小一千 周五给你", "一千元", "不对 九百", 900),
    ],
)
def test_an_approximate_amount_is_read_back_round_and_corrected_next_turn(
    loose: str, read_back: str, correction: str, amount: int
) -> None:
    state, out = call("对 是我", loose)
    assert state.stage is Stage.CONFIRM_PROMISE
    assert read_back in [c.text for c in out if isinstance(c, Say)][-1]
    state, _ = call("对 是我", loose, correction)
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(amount)
    assert state.promise_date == FRIDAY


@pytest.mark.parametrize(
    "line",
    ["月底前先还一半", "下个月初我一定全部还清", "春节之前保证还清", "年前一定把钱还上",
     "元旦前先还一部分"],
)  # fmt: skip
def test_one_payment_by_a_day_to_come_is_a_promise(line: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent == "promise_to_pay"


@pytest.mark.parametrize(
    ("line", "not_intent"),
    [
        ("先还一半 剩下的下个月再还", "promise_to_pay"),  # the rest later: a plan
        ("年前肯定还不上", "promise_to_pay"),
        ("年前就已经还清了", "promise_to_pay"),  # a payment made
        ("我上个月已经还了一半了", "promise_to_pay"),
    ],
)
def test_no_promise_from_a_plan_a_refusal_or_a_payment_made(line: str, not_intent: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent != not_intent


@pytest.mark.parametrize("line", ["冇钱 冇钱啊", "真系冇钱", "钱都没有 真的", "一分钱都没有啊"])
def test_no_money_said_outright_is_hardship(line: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent == "hardship"


@pytest.mark.parametrize("line", ["你没钱吗", "有钱也不还", "没钱 不还"])
def test_no_hardship_from_a_question_or_a_refusal(line: str) -> None:
    assert parser().parse(line, "zh", TODAY).intent != "hardship"


@pytest.mark.parametrize(
    ("line", "amount"), [("过了十五 再给你两千", 2000), ("过完初八 还三千", 3000)]
)
def test_a_day_gone_by_is_no_amount(line: str, amount: int) -> None:
    assert amounts(line) == [Decimal(amount)]


def test_an_amount_paid_over_stays_an_amount() -> None:
    assert amounts("超过了五百") == [Decimal(500)]


def test_a_festival_beyond_the_policys_limit_is_asked_again_not_recorded() -> None:
    state, out = call("对 是我", "春节前还你两千", "对")
    assert not [c for c in out if isinstance(c, RecordPromise)]
    assert state.promise_date is None
    assert any("之前" in c.text for c in out if isinstance(c, Say))
