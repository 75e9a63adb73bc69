"""Amounts said by a debtor: "$200", "two hundred dollars", "2k", "两千", "五百块", "1.5万".

Dates must be masked out of the text first (``nlu.entities`` does it), so "the 15th" or 15号
is never read as an amount. Counts of installments ("three payments", 分三期, 六个月) are not
amounts either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from nlu.numbers import (
    EN_NUMBER_RE,
    ZH_NUMBER_CHARS,
    en_two_said,
    en_words_to_decimal,
    zh_to_decimal,
)

_EN_CURRENCY_AFTER = re.compile(
    r"^\s*(?:(?P<usd>dollars?|bucks?|usd|us dollars?)|(?P<cny>yuan|rmb|kuai|renminbi))\b", re.I
)
_EN_CURRENCY_BEFORE = re.compile(r"(?:(?P<usd>\$|usd)|(?P<cny>¥|rmb|cny))\s*$", re.I)
_EN_NOT_AMOUNT_AFTER = re.compile(
    r"^\s*(?:payments?|installments?|instalments?|months?|weeks?|days?|times?|years?|"
    r"parts?|chunks?|more|of\s+(?:them|those)|o'?clock|am|pm|percent|%|minutes?|hours?)\b",
    re.I,
)
# "in 3", "over the next 6", "at 5" are counts or times; "about 300", "around 250" and "put me
# down for 300" are amounts (a count after them is caught by the words that follow: "for 3 months")
_EN_NOT_AMOUNT_BEFORE = re.compile(
    r"(?:\b(?:(?<!\bput )(?<!\bchip )(?<!\bpay )(?<!\bsend )in|over|at|last|first)\s+"
    r"(?:the\s+)?(?:next\s+)?)$",
    re.I,
)
# digits read one by one ("four one two eight", a card's or an account's) are no amount
_EN_DIGIT_RUN = re.compile(
    r"^(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,-]+){2,}"
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)$",
    re.I,
)
_EN_TRAILING_FILLER = re.compile(r"(?:[\s-]+(?:a|and)\b)+[\s-]*$", re.I)
# 一千二 heard with a pause mark inside (一千、二 / 两万，五): one amount, when the lone digit after
# it is followed by no unit or date word (一千、二号, 一千，两天 are two things)
_ZH_PAUSED_NUMBER = (
    rf"[{ZH_NUMBER_CHARS}]*[百千万][、，,]\s?[一二两三四五六七八九]"
    rf"(?![{ZH_NUMBER_CHARS}号日点个月期天周块元年岁次])"
)
_ZH_NUMBER = re.compile(rf"{_ZH_PAUSED_NUMBER}|[{ZH_NUMBER_CHARS}]+(?:[kK千]|[wW万])?")
_ZH_CURRENCY_AFTER = re.compile(
    r"^\s*(?P<cny>块钱|块|塊|元|人民币|rmb|RMB)|^\s*(?P<usd>美元|美金|刀)"
)
_ZH_NOT_AMOUNT_AFTER = re.compile(
    r"^\s*(?:个|個|期|次|号|號|日|月|天|周|星期|年|岁|点|分钟|小时|%"
    r"|人|位|遍|件|张|条|斤|公斤|公里|米|平)"  # counts and measures: 两千人, 五百斤
)
# 分 counts instalments (分三期, 分 6 次) but 一部分 is "a part": "先还一部分 一千" says an amount
# 过了十五 / 过完初八 is a day gone by ("after the 15th"), 还过了两千 / 超过了 an amount
_ZH_NOT_AMOUNT_BEFORE = re.compile(
    r"(?:第|周|星期|礼拜|(?<!部)分|尾号|后|末|(?<![还付转交打超经])过(?:了|完))\s*$"
)
_ZH_PAYING = re.compile(r"[还付转交打]\s*$")
_ZH_UNITY = re.compile(r"[0-9十百千万kKwW]|块|元")


@dataclass(frozen=True, slots=True)
class FoundAmount:
    start: int
    end: int
    value: Decimal
    currency: str | None
    text: str


def find_amounts(text: str, lang: str) -> list[FoundAmount]:
    return _find_zh(text) if lang == "zh" else _find_en(text)


def _currency(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return "USD" if match.group("usd") else "CNY"


# "not" right before a run: what follows may be two figures, the one taken back and the one meant
_EN_NOT_BEFORE = re.compile(r"\bnot\s*$", re.I)


def _en_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the number runs of ``text``; a run after "not" that says two figures side by
    side ("not two hundred one fifty") as two, for ``nlu.corrections`` to take the first back."""
    runs: list[tuple[int, int]] = []
    for start, stop in _number_spans(text):
        # a run's trailing "a" / "and" belongs to what follows: "fifty a month", "fifty and"
        end = start + len(_EN_TRAILING_FILLER.sub("", text[start:stop]))
        second = None
        if _EN_NOT_BEFORE.search(text[:start]):
            second = en_two_said(text[start:end])
        if second is None:
            runs.append((start, end))
        else:
            first_end = start + len(text[start : start + second].rstrip(" ,-"))
            runs += [(start, first_end), (start + second, end)]
    return runs


# a figure's scale with the rest said in digits after it: "3 hundred and 50", "2 thousand 5
# hundred" are one amount, not 300 and 50
_EN_SCALE_END = re.compile(r"(?:hundred|thousand|grand)[\s-]*(?:and[\s-]*)?$", re.I)
_EN_JOINS = re.compile(r"^[\s-]*(?:and[\s-]+)?$", re.I)


def _number_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the number runs, two side by side joined when the first ends on a scale."""
    spans: list[tuple[int, int]] = []
    for m in EN_NUMBER_RE.finditer(text):
        if (
            spans
            and _EN_SCALE_END.search(text[spans[-1][0] : spans[-1][1]])
            and _EN_JOINS.match(text[spans[-1][1] : m.start()])
        ):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


def _find_en(text: str) -> list[FoundAmount]:
    found: list[FoundAmount] = []
    for start, end in _en_runs(text):
        raw = text[start:end].strip(" -")
        if not raw or raw.lower() in ("a", "and", "a and"):
            continue
        value = en_words_to_decimal(raw)
        if value is None or value <= 0 or _EN_DIGIT_RUN.match(raw):
            continue
        before, after = text[:start], text[end:]
        if _EN_NOT_AMOUNT_AFTER.match(after) or _EN_NOT_AMOUNT_BEFORE.search(before):
            continue
        cur_after, cur_before = _EN_CURRENCY_AFTER.match(after), _EN_CURRENCY_BEFORE.search(before)
        currency = _currency(cur_after) or _currency(cur_before)
        if currency is None and _is_small_word_number(raw, value):
            continue
        start = cur_before.start() if cur_before else start
        end += cur_after.end() if cur_after else 0
        found.append(FoundAmount(start, end, value, currency, text[start:end].strip()))
    return found


def _is_small_word_number(raw: str, value: Decimal) -> bool:
    """ "one", "two" in "i have two kids", "give me one second" or "2 kids" are not amounts (no
    debt is paid in single dollars without saying so)."""
    return value < 10


def _find_zh(text: str) -> list[FoundAmount]:
    found: list[FoundAmount] = []
    for m in _ZH_NUMBER.finditer(text):
        raw = m.group(0).rstrip(".")
        before, after = text[: m.start()], text[m.end() :]
        count = _ZH_NOT_AMOUNT_AFTER.match(after)
        if count and not (count.group(0) == "人" and _ZH_PAYING.search(before)):
            continue  # 两千人 is a count; 还1200人 is 元 mis-heard after a payment verb
        if _ZH_NOT_AMOUNT_BEFORE.search(before):
            continue
        if before.endswith("几") or after.startswith("几"):
            continue  # 几百块, 好几千: "some hundreds" names no amount
        cur = _ZH_CURRENCY_AFTER.match(after)
        if cur is None and not _ZH_UNITY.search(raw):
            continue  # a lone 一 / 两 ("等一下", "两个") is not an amount
        if cur is None and raw in ("千", "百"):
            continue  # a lone 千 with no 块 after it is a slip (一千 is said); 千块钱 is 1000
        value = _zh_value(re.sub(r"[、，,\s]", "", raw))
        if value is None or value <= 0:
            continue
        end = m.end() + (cur.end() if cur else 0)
        found.append(FoundAmount(m.start(), end, value, _currency(cur), text[m.start() : end]))
    return found


def _zh_value(raw: str) -> Decimal | None:
    if raw[-1] in "kK":
        head = zh_to_decimal(raw[:-1])
        return None if head is None else head * 1000
    if raw[-1] in "wW":
        head = zh_to_decimal(raw[:-1])
        return None if head is None else head * 10_000
    return zh_to_decimal(raw)
