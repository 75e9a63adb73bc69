"""Mandarin answers the policy must read whole (round 2, 7 Dec 2026): an offer said after a
refusal's clause keeps its day, a birth year said with a promise is the year and not the amount,
and a yes the recogniser garbled (本人 as 北人, 嗯 as 而) verifies once its words say who speaks,
never a stranger's answer. Each line heard exactly (recogniser confidence 1.0)."""

from __future__ import annotations

from datetime import date

import pytest
from test_nlu_unseen_zh import call  # a call heard exactly, on Wednesday 2 Dec 2026

from core.dialogue import Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS

# the demo debtor is 李明, born 1988, owes 3500


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("一次全还不上 礼拜五 先还八百", 800, date(2026, 12, 4)),
        ("今天肯定拿不出来 下个礼拜一 我先还一千", 1000, date(2026, 12, 7)),
        ("还不了三千五 周六先给六百", 600, date(2026, 12, 5)),
        ("一下子还不上下周一先还七百", 700, date(2026, 12, 7)),  # no pause printed
    ],
)
def test_an_offer_after_a_refusal_keeps_the_day_said_before_its_but(
    line: str, amount: int, day: date
) -> None:
    state, _ = call("对 是我", line)
    assert state.promise_amount is not None
    assert state.promise_amount.amount == amount
    assert state.promise_date == day


def test_what_a_refusal_names_is_not_offered() -> None:
    state, _ = call("对 是我", "三千五我还不了")
    assert state.promise_amount is None


@pytest.mark.parametrize(
    "line", ["八八年的 礼拜五还两千", "我是88年的 下周给你们一千", "一九八八年 月底还五百"]
)
def test_the_birth_year_said_with_a_promise_is_the_year(line: str) -> None:
    state, _ = call("对 是我", line, mode=VerificationMode.NAME_AND_BIRTH_YEAR)
    assert state.verified


def test_a_wrong_birth_year_with_an_amount_still_fails() -> None:
    state, _ = call(
        "对 是我", "九二年的 礼拜五还一千九百八十八", mode=VerificationMode.NAME_AND_BIRTH_YEAR
    )
    assert not state.verified


@pytest.mark.parametrize(
    "line",
    ["而是我北人", "恩 我就是本人", "对得 是我被人", "是我 北人", "安 事我 你说吧", "嗯 使我"],
)
def test_a_yes_the_recogniser_garbled_verifies_when_it_says_who_speaks(line: str) -> None:
    state, _ = call(line)
    assert state.verified


@pytest.mark.parametrize(
    "line",
    [
        "恩 我是王丽华",
        "而且你是谁",
        "他被人骗了",
        "对得起谁啊",
        "恩 他北人",
        "我北人",
        "北人北人北人",
        "事我事我事我事我",
        "是我的事吗",
        "适我不认识",
    ],
)
def test_no_stranger_or_noise_verifies_on_those_readings(line: str) -> None:
    state, commands = call(line, line)
    assert not state.verified
    assert not [c.text for c in commands if isinstance(c, Say) and DEBT_WORDS.search(c.text)]
