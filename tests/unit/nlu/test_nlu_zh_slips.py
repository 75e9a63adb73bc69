"""Mandarin families of round 2 (7 Dec 2026): the recogniser's slips on amounts and days
(``nlu/text_zh.py``), vague amounts that name none, and 本人 answers in their own words
(``nlu/affirmation.py``). Lines written for these tests, none of the held-out files'."""

from __future__ import annotations

from datetime import date

import pytest
from test_nlu_unseen_zh import amounts, days  # read on Wednesday 2 Dec 2026

from nlu.affirmation import plain_yes
from nlu.text import prepare


@pytest.mark.parametrize(
    ("heard", "amount"),
    [
        ("礼拜四我回三千块", 3000),  # hui for huan before an amount with its unit
        ("月底怀两千五", 2500),  # huai
        ("后天魂一千二百块钱", 1200),  # hun
        ("我下礼拜汇八百块过去", 800),  # 汇 (remit) is a payment too
        ("明天环，3000块", 3000),  # the recogniser's pause between the verb and the amount
        ("三天出头 月底给", 3000),  # 千 heard 天 / 先 / 前 before 出头
        ("一先出头吧", 1000),
        ("还久百块", 900),  # 九 heard 久 before a unit
        ("周五我还分钱", 3000),  # 三千 heard 分钱 after the verb
        ("月底还六拜", 600),  # 百 heard 拜 after a number
        ("下礼拜二还7天", 7000),  # 千 heard 天 after a digit, a day named before
        ("明天千还两千五", 2500),  # a lone 千 is a slip, not one thousand
        ("下周再转千块钱过去", 1000),  # ... unless 块 follows it (its 一 lost)
        ("我就先还两千 八百就", 2000),
        ("还八百就", 890),  # 九 heard 就 closing an amount
        ("八百就够了", 800),  # ... not before what follows
        ("礼拜二缓于千", 1000),  # 一 heard 于 before a unit after the verb
        ("后天转600人", 600),  # 元 heard 人 right after a payment verb
    ],
)
def test_a_payment_verb_or_a_unit_heard_as_a_homophone_still_says_the_amount(
    heard: str, amount: int
) -> None:
    assert amounts(heard)[:1] == [amount]


@pytest.mark.parametrize(
    "line",
    [
        "我回一趟老家再说",  # 回 + a count, no amount
        "我会一点点",
        "他们开会来了两千人",  # a count after the number
        "回个电话给我",
        "到时候再还",
        "我先还几百块",  # vague: some hundreds
        "好几千呢 哪拿得出来",
        "十几块钱都没有",
        "欠了几万块 还不起",
        "一分钱都没有",
        "我还分期吧",
        "拜托你们了 再宽限一下",
    ],
)
def test_no_repair_or_vague_number_invents_an_amount(line: str) -> None:
    assert amounts(line) == []


@pytest.mark.parametrize(
    ("heard", "day"),
    [
        ("下颗月初还五千", date(2027, 1, 1)),  # 个 heard 颗 between 下 and 月
        ("这科礼拜六还", date(2026, 12, 5)),
        ("下个月时候我还一千", date(2027, 1, 10)),  # 十号 heard 时候 right after 月
        ("原蛋以前还清", date(2027, 1, 1)),  # 元旦 by its syllables
        ("后先把两千转过去", date(2026, 12, 4)),  # 天 heard 先 in a day word
        ("我一月时后还", date(2027, 1, 10)),  # 十号 heard 时后 after a month
        ("我分时好把钱还上", date(2026, 12, 30)),  # 三十号 heard 分时好
        ("下礼拜分还一千", date(2026, 12, 9)),  # 三 heard 分 after 礼拜
        ("这终六还三百", date(2026, 12, 5)),  # 周 heard 终 before a weekday
        ("五后还吧", date(2026, 12, 5)),  # 号 heard 后 after a day said alone
        ("周六支前还", date(2026, 12, 5)),
        ("一个礼带以内还", date(2026, 12, 9)),
        ("我终于能还两百了", date(2026, 12, 6)),  # 周日 heard 终于 before paying an amount
    ],
)
def test_days_heard_as_homophones(heard: str, day: date) -> None:
    assert days(heard)[:1] == [day]


@pytest.mark.parametrize(
    ("heard", "kept"),
    [
        ("到时候我再打给你", "到时候我再打给你"),
        ("月底的时候还", "月底的时候还"),
        ("这颗树", "这颗树"),
        ("我会一点", "我会一点"),
        ("我时好时坏的", "我时好时坏的"),
        ("我终于还清了", "我终于还清了"),
        ("终于还了一千", "终于还了一千"),
        ("他昨天换了号码", "他昨天换了号码"),
    ],
)
def test_what_the_repairs_leave_alone(heard: str, kept: str) -> None:
    assert prepare(heard, "zh") == kept


@pytest.mark.parametrize(
    ("line", "name", "meant"),
    [
        ("我是 我是 有事吗你说", "王建国", True),  # 我是 alone is a yes
        ("我是", "王建国", True),
        ("对对 我就是王建果", "王建国", True),  # the name's last character mis-heard
        ("嗯 是我 王建果", "王建国", True),
        ("我就是王建", "王建国", True),  # a character lost at the end
        ("那你说吧 我就是本人", "王建国", True),  # "go ahead" first, then who speaks
        ("我是 王丽华", "王建国", False),  # a pause inside a claim of another name
        ("是的 我是王丽华", "王建国", False),
        ("对 我叫王丽华", "王建国", False),
        ("我就是王建国的老婆", "王建国", False),
        ("我是 他老婆", "王建国", False),
        ("我是 不是", "王建国", False),
        ("对我就是王建国什么事情啊", "王建国", False),  # the name, then a question: not plain
        ("你说吧", "王建国", False),  # "go ahead" alone says nothing of who speaks
        ("嗯 事我 你讲", "王建国", True),  # the yes heard as characters of the same sounds
        ("使得使得", "王建国", True),
        ("哎 队 我就是", "王建国", True),
        ("是我的", "王建国", False),  # sounds that say more than a yes
        ("是我妈", "王建国", False),
        ("这是我", "王建国", False),
        ("实物", "王建国", False),
        ("是我说的", "王建国", False),
        ("石头", "王建国", False),
        ("不是我", "王建国", False),
        ("事我 他不在", "王建国", False),
    ],
)
def test_a_mandarin_self_claim_is_a_plain_yes_only_for_the_debtor(
    line: str, name: str, meant: bool
) -> None:
    assert plain_yes(line, "zh", name) is meant
