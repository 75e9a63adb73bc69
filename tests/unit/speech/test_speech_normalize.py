"""Text normalisation and clause splitting for TTS: table-driven, pure."""

from __future__ import annotations

import pytest

from tts.normalize import money_en, money_zh, normalize, split_clauses
from tts.numbers import cardinal_en, cardinal_zh, digits_zh, ordinal_en, year_en


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (15, "fifteen"),
        (21, "twenty-one"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (1250, "one thousand two hundred fifty"),
        (12000, "twelve thousand"),
        (1_000_001, "one million one"),
        (-3, "minus three"),
    ],
)
def test_cardinal_en(n: int, words: str) -> None:
    assert cardinal_en(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "first"), (2, "second"), (3, "third"), (10, "tenth"), (12, "twelfth"), (20, "twentieth"),
     (21, "twenty-first"), (30, "thirtieth"), (31, "thirty-first")],
)  # fmt: skip
def test_ordinal_en(n: int, words: str) -> None:
    assert ordinal_en(n) == words


@pytest.mark.parametrize(
    ("year", "words"),
    [(2026, "twenty twenty-six"), (2005, "two thousand five"), (1999, "nineteen ninety-nine"),
     (1905, "nineteen oh five"), (1900, "nineteen hundred"), (2000, "two thousand")],
)  # fmt: skip
def test_year_en(year: int, words: str) -> None:
    assert year_en(year) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "零"), (10, "十"), (15, "十五"), (105, "一百零五"), (110, "一百一十"), (1005, "一千零五"),
     (1250, "一千二百五十"), (2000, "两千"), (12000, "一万二千"), (100500, "十万零五百"),
     (1010000, "一百零一万"), (123456789, "一亿二千三百四十五万六千七百八十九")],
)  # fmt: skip
def test_cardinal_zh(n: int, words: str) -> None:
    assert cardinal_zh(n) == words


def test_digits_zh_reads_zero_as_ling_circle() -> None:
    assert digits_zh("2026") == "二〇二六"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("$1,250.50", "one thousand two hundred fifty dollars and fifty cents"),
        ("$1", "one dollar"),
        ("$0.05", "five cents"),
        ("$200.5", "two hundred dollars and fifty cents"),
        ("pay 200 dollars", "pay two hundred dollars"),
        ("USD 75", "seventy-five dollars"),
        ("€3", "three euros"),
        ("due 2026-12-10", "due December tenth twenty twenty-six"),
        ("due 12/15/2026", "due December fifteenth twenty twenty-six"),
        ("by Dec 10th", "by December tenth"),
        ("by Sept 3, 2027", "by September third twenty twenty-seven"),
        ("on the 15th", "on the fifteenth"),
        ("5% interest", "five percent interest"),
        ("at 9:30 pm", "at nine thirty p m"),
        ("at 10:00", "at ten o'clock"),
        ("at 9:05", "at nine oh five"),
        ("call 5551234567", "call five five five one two three four five six seven"),
        ("card ending in 4821", "card ending in four eight two one"),
        ("3.5 percent", "three point five percent"),
        ("no numbers here.", "no numbers here."),
    ],
)
def test_normalize_en(text: str, spoken: str) -> None:
    assert normalize(text, "en") == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("您欠款1250元", "您欠款一千二百五十元"),
        ("¥1250.50", "一千二百五十元五角"),
        ("1250.05元", "一千二百五十元零五分"),
        ("还3500块钱", "还三千五百块钱"),
        ("3500.5块", "三千五百块五毛"),
        ("12月10号前", "十二月十号前"),
        ("2026年12月10日", "二〇二六年十二月十日"),
        ("2026-01-05", "二〇二六年一月五日"),
        ("利率3.5%", "利率百分之三点五"),
        ("尾号4821", "尾号四八二幺"),
        ("手机13812345678", "手机幺三八幺二三四五六七八"),
        ("号码是13800138000", "号码是幺三八零零幺三八零零零"),
        ("请拨打400-820-1234", "请拨打四零零八二零幺二三四"),
        ("打138 1234 5678", "打幺三八幺二三四五六七八"),
        ("您欠款5200元，12月4日前还清", "您欠款五千二百元，十二月四日前还清"),
        ("逾期15天", "逾期十五天"),
        ("分3期", "分三期"),
        ("$200", "二百美元"),
        # the policy spells a callback number out digit by digit, groups comma-separated
        ("号码是4 0 0, 8 2 0, 1 2 3 4。", "号码是四零零，八二零，幺二三四。"),
        ("请拨打 9 5 5 1 1。", "请拨打 九五五幺幺。"),
        ("是请按1，不是请按2", "是请按一，不是请按二"),  # keys are not phone digits
        ("可以分2、3、6个月", "可以分二、三、六个月"),
        ("第 1 2 期", "第 一 二 期"),  # two spaced numbers are not a phone number
    ],
)
def test_normalize_zh(text: str, spoken: str) -> None:
    assert normalize(text, "zh") == spoken


def test_unknown_language_passes_through() -> None:
    assert normalize("1250", "ko") == "1250"


def test_money_helpers_handle_zero_and_singular() -> None:
    assert money_en(1, 1) == "one dollar and one cent"
    assert money_en(2, 0, "pound") == "two pounds"
    assert money_en(0, 1, "pound") == "one penny"
    assert money_zh(0, 50) == "五角"
    assert money_zh(100, 0) == "一百元"


def test_split_clauses_first_piece_is_short_then_sentences() -> None:
    text = (
        "Hello, this is Joe from the collection department. You owe one thousand dollars, "
        "and we would like to help. Can you pay today?"
    )
    assert split_clauses(text, "en") == [
        "Hello,",
        "this is Joe from the collection department.",
        "You owe one thousand dollars,",
        "and we would like to help.",
        "Can you pay today?",
    ]


def test_split_clauses_merges_short_fragments_and_keeps_every_word() -> None:
    text = "Well, I see, ok, fine, thanks. Bye."
    pieces = split_clauses(text, "en")
    assert " ".join(pieces) == text
    assert all(len(p) >= 2 for p in pieces)
    assert len(pieces) < text.count(",") + 2


def test_split_clauses_mandarin_without_spaces() -> None:
    text = "您好，我是催收部门的小王。您的欠款已经逾期三十天，请问您今天可以还款吗？"
    pieces = split_clauses(text, "zh")
    assert pieces[0] == "您好，"
    assert "".join(pieces) == text
    assert len(pieces) == 4


def test_split_clauses_empty() -> None:
    assert split_clauses("   ", "en") == []
