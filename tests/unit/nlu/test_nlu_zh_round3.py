"""Mandarin families of round 3 (7 Dec 2026, branch zh3), each shown by an unseen line and tested
on others: a payment done on a bare day (周六, 礼拜一, 15号 + 还了/转过去了) is already paid, on
that day gone by; someone else's debt with the caller sent to them (我老公的账你别找我) is a third
party; a request to cut the interest or the fees is a plan request (installment: the policy
offers a plan); payday said before the day as the recogniser hears it (发了公司学校还 = 发了工资十号
还) and an amount's tail mis-heard (一千、两千 = 一千二, 一千二云). Each with lines that stay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from test_nlu_unseen_zh import amounts, call, days, parser  # a call heard exactly, Wed 2 Dec 2026

from core.dialogue import Outcome, Say
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage
from nlu.text import prepare

TODAY = date(2026, 12, 2)


def intent(line: str) -> str:
    return parser().parse(line, "zh", TODAY).intent


@pytest.mark.parametrize(
    ("line", "amount", "day"),
    [
        ("周四我用支付宝付了八百块", 800, date(2026, 11, 26)),
        ("礼拜二我在银行交了两千", 2000, date(2026, 12, 1)),
        ("星期天我老婆帮我还过了 一千三", 1300, date(2026, 11, 29)),
        ("我二十八号就转过去了 四百 你们查一下", 400, date(2026, 11, 28)),
        ("周一 在网银上还了六百五", 650, date(2026, 11, 30)),
    ],
)
def test_a_payment_done_on_a_bare_day_is_already_paid_that_day(
    line: str, amount: int, day: date
) -> None:
    assert intent(line) == "already_paid"
    assert amounts(line) == [Decimal(amount)]
    assert days(line) == [day]


@pytest.mark.parametrize(
    "line",
    [
        "下周六我把钱还了",  # a day to come
        "周六还吧 还五百",  # no payment done
        "我周五还了钱就给你打电话",  # what follows a payment to come
        "礼拜五发了工资就还",  # wages paid, not the debt
    ],
)
def test_a_day_with_a_payment_to_come_is_no_payment_made(line: str) -> None:
    assert intent(line) != "already_paid"


def test_a_payment_on_a_bare_day_after_verification_is_recorded_as_paid() -> None:
    state, _ = call("对 是我", "礼拜一我在支付宝上还了九百")  # day, channel and amount all said
    assert state.outcome is Outcome.ALREADY_PAID
    assert state.promise_amount is None


def test_a_payment_on_a_bare_day_asks_what_was_not_said() -> None:
    state, _ = call("对 是我", "我礼拜一转了")
    assert state.stage is Stage.ALREADY_PAID


@pytest.mark.parametrize(
    "line",
    [
        "她老公的账 你们找她老公去",
        "我儿子欠的钱 你们去找他 别来找我",
        "我爸的事儿跟我说没用",
        "这是我老婆的贷款 我不管",
        "他借的钱甭找我",
    ],
)
def test_someone_elses_debt_with_the_caller_sent_to_them_is_a_third_party(line: str) -> None:
    assert intent(line) == "third_party"


@pytest.mark.parametrize(
    "line",
    [
        "这钱是我前夫拿我身份证借的 我根本没签过字",  # the debtor: a dispute
        "这不是我借的 别找我",
    ],
)
def test_a_debt_disowned_by_the_debtor_stays_a_dispute(line: str) -> None:
    assert intent(line) == "dispute"


@pytest.mark.parametrize("mode", [m for m in VerificationMode if m is not VerificationMode.NONE])
def test_a_spouse_sending_the_caller_to_the_debtor_hears_no_debt_word(
    mode: VerificationMode,
) -> None:
    state, said = call("她老公的账 你们找她老公去", mode=mode)
    assert not state.verified
    assert not [c.text for c in said if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize(
    "line",
    [
        "利息可不可以少算一点",
        "罚息可不可以免掉 我把本金先还上",
        "违约金能免掉吗",
        "手续费太贵了 能少收点不",
        "能不能申请减免一下滞纳金",
        "我想少点利息",
    ],
)
def test_a_request_to_cut_interest_or_fees_is_a_plan_request(line: str) -> None:
    assert intent(line) == "installment"


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("你们利息太离谱了 我要投诉", "dispute"),
        ("这个利息不对 你们乱收费 能不能减免", "dispute"),
        ("别打了 利息能不能少一点", "stop_calling"),
    ],
)
def test_a_dispute_or_a_stop_about_the_fees_keeps_its_weight(line: str, wanted: str) -> None:
    assert intent(line) == wanted


def test_a_fee_cut_asked_after_verification_is_offered_a_plan() -> None:
    state, _ = call("对 是我", "滞纳金能不能少一点")
    assert state.stage is Stage.OFFER_PLAN


@pytest.mark.parametrize(
    ("heard", "amount"),
    [
        ("等我发了公司时候还两千五。", 2500),
        ("发了工资学校还八百", 800),
        ("我发了工资学后转一千", 1000),
        ("等我发了公司十套还一千、两千。", 1200),
    ],
)
def test_payday_then_the_tenth_as_heard_is_the_tenth(heard: str, amount: int) -> None:
    assert days(heard) == [date(2026, 12, 10)]
    assert amounts(heard) == [Decimal(amount)]


@pytest.mark.parametrize(
    ("heard", "amount"),
    [("我下礼拜还两千、两千", 2200), ("明天怀疑千五云", 1500), ("月底还三千二亿。", 3200)],
)
def test_an_amounts_tail_as_heard_is_read(heard: str, amount: int) -> None:
    assert amounts(heard) == [Decimal(amount)]


@pytest.mark.parametrize(
    "line",
    [
        "发工资的时候还一千",  # "when I get paid": no day said
        "我在公司上班 下个月还",
        "我怀疑你们是骗子",
        "我先还两千、两千五",  # a self-correction keeps its two amounts
        "一个亿我也还不起",
    ],
)
def test_lines_like_the_slips_stay_as_said(line: str) -> None:
    assert date(2026, 12, 10) not in days(line)
    assert Decimal(1200) not in amounts(line)
    assert intent(line) not in ("already_paid",)


@pytest.mark.parametrize(
    ("heard", "wanted"),
    [("他媳妇的帐 你们找他媳妇去", "third_party"), ("这笔帐不是我欠的", "dispute")],
)
def test_the_account_printed_with_its_variant_character_is_the_account(
    heard: str, wanted: str
) -> None:
    assert intent(heard) == wanted


def test_a_tent_stays_a_tent() -> None:
    assert prepare("我在卖帐篷 家里挂着蚊帐", "zh") == "我在卖帐篷 家里挂着蚊帐"
