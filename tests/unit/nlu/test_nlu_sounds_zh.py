"""zh11 (session 13): Mandarin key words by sound (``nlu.sounds_zh``) and variant characters
(``nlu.simplified.standard_forms``). The held-out lines are in bench/heldout/zh_sound_zh11.yml;
the lines here are others of the same families. Each marked case failed on main (07e064e)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_nlu_mixed_initiative import talk

from core.dialogue import Outcome, Say
from nlu.parser import default_parser
from nlu.policy import Stage
from nlu.policy.offers import asks_minimum
from nlu.simplified import standard_forms
from nlu.sounds_zh import KEY_WORDS, find, says
from nlu.text import prepare

YES = "对，是我"


@pytest.mark.parametrize(
    ("heard", "read"),
    [
        ("最底能还多少", "最低能还多少"),  # 最低 (zui di)
        ("醉低的是多少", "最低的是多少"),
        ("我州三还", "我周三还"),  # 周X with its own digit
        ("粥日前还清", "周日前还清"),
        ("这各月底前", "这个月底前"),  # 这个月 / 下个月 (ge / yue)
        ("下个越初", "下个月初"),
        ("上各月", "上个月"),
        ("我先还一般吧", "我先还一半吧"),  # 一般 next to a payment verb is 一半
        ("一伴先还了", "一半先还了"),
        ("付泉部", "付全部"),  # 全部 / 全额 next to a payment verb
        ("全鹅还清", "全额还清"),
        ("能不能分歧付", "能不能分期付"),  # 分歧 asked as a way to pay
        ("我行期二还", "我星期二还"),  # 行期 before a weekday digit
        ("用威信转", "用微信转"),
    ],
)
def test_key_words_heard_by_sound_are_restored(heard: str, read: str) -> None:
    assert prepare(heard, "zh") == read


@pytest.mark.parametrize(
    "line",
    [
        "我一般月底发工资",  # "usually"
        "我全不认识",  # a negation is never taken away: not 全部
        "我全不还",
        "周武是我表哥",  # a number character stays itself: a name, not 周五
        "我们对这个有分歧",  # a disagreement, not an instalment
        "我犯了个大错",  # not 打错 (a wrong number)
        "我会克服的",  # not 客服 (an agent)
        "你这语气不对",  # not 逾期
        "住在最底层",  # 最底 before 层 / 下
        "放在最底下",
        "我去换钱",  # "change money", not 还钱
        "我还欠多少",  # "still owe", not 还钱
        "我的事业",  # "career", not 失业
        "我一班的",
        "他很有威信",
        "我想一下",
    ],
)
def test_other_words_that_share_a_key_words_sound_stay(line: str) -> None:
    prepared = prepare(line, "zh")
    for word in ("一半", "全部", "周五", "分期", "打错", "客服", "逾期", "最低", "还钱", "失业"):
        assert (word in prepared) == (word in line), (line, prepared)


def test_single_syllables_are_never_key_words() -> None:
    assert all(len(key.word) >= 2 for key in KEY_WORDS)
    assert prepare("是十号吗", "zh") == "是十号吗"
    assert prepare("有事吗", "zh") == "有事吗"


def test_find_reads_characters_and_sounds_alike() -> None:
    assert says("最低还款", "最低")
    assert says("最底还款", "最低")
    assert not says("最底层", "最低")
    assert [f.key.word for f in find("下各月州五环款")] == ["下个月", "周五", "还款"]


@pytest.mark.parametrize(
    ("written", "standard"),
    [
        ("这是甚么", "这是什么"),
        ("什麽事", "什么事"),
        ("衹能还五百", "只能还五百"),
        ("还贰仟伍佰元", "还二千五百元"),
        ("一千陆佰", "一千六百"),
        ("伍先生在陆地上收拾", "伍先生在陆地上收拾"),  # a name, a word: not numbers
        ("甚至", "甚至"),
    ],
)
def test_variant_forms_and_financial_numerals(written: str, standard: str) -> None:
    assert standard_forms(written) == standard


@pytest.mark.parametrize("line", ["甚麼貸款啊", "這是甚麼欠款"])
def test_what_loan_in_traditional_variant_is_answered_never_a_dispute(line: str) -> None:
    state, said = talk("zh", YES, line)
    assert state.outcome is None, line
    assert state.stage is Stage.ASK_FULL
    assert "贷款" in [c for c in said if isinstance(c, Say)][-2].text


@pytest.mark.parametrize("line", ["最底能还多少", "最低還多少錢", "起碼要還幾塊"])
def test_the_minimum_asked_by_sound_or_in_traditional_is_stated(line: str) -> None:
    assert asks_minimum(line, "zh")
    state, said = talk("zh", YES, line)
    assert state.stage is Stage.PROMISE
    assert any("最低" in c.text for c in said[-2:] if isinstance(c, Say))


def test_half_by_sound_after_a_payment_verb_is_half_a_usual_day_is_not() -> None:
    state, _ = talk("zh", YES, "那我周三先还一般")
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(1750)
    state, _ = talk("zh", YES, "我一般周三还八百")
    assert state.promise_amount is not None
    assert state.promise_amount.amount == Decimal(800)


def test_a_big_mistake_is_no_wrong_number_and_a_disagreement_no_plan() -> None:
    state, _ = talk("zh", YES, "我承认是我的大错")
    assert state.outcome is not Outcome.WRONG_NUMBER
    state, _ = talk("zh", YES, "这个利息我们有分歧")
    assert state.stage not in (Stage.OFFER_PLAN, Stage.CONFIRM_PLAN)


def test_financial_numerals_are_the_amount() -> None:
    amounts = default_parser().parse("周三还壹仟伍佰", "zh", talk("zh")[0].today).amount
    assert amounts is not None
    assert str(amounts.value) == "1500"
