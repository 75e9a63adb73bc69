"""Spoken numbers in English ("two hundred and fifty", "2k") and Mandarin ("一千五", "1.5万")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import pairwise

EN_UNITS: dict[str, int] = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "grand": 1000, "k": 1000}
EN_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip

EN_NUMBER_WORD = "|".join(sorted({*EN_UNITS, *EN_SCALES, "a", "and"} - {"oh"}, key=len)[::-1])
# a run of number words ("two hundred and fifty"), or digits with an optional k / thousand
EN_NUMBER_RE = re.compile(
    rf"(?<![\w.])(?:\d[\d,]*(?:\.\d+)?\s?(?:k|grand|thousand|hundred)?"
    rf"|(?:(?:{EN_NUMBER_WORD})\b[\s-]*)+)(?![\w])",
)
EN_ORDINAL_RE = re.compile(
    r"\b(?:(?:twenty|thirty)[\s-]?)?(?:"
    + "|".join(sorted(EN_ORDINALS, key=len)[::-1])
    + r")\b|\b\d{1,2}(?:st|nd|rd|th)\b"
)

ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
ZH_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
ZH_NUMBER_CHARS = "0-9.零〇一幺二两俩三四五六七八九十百千万亿"


def en_words_to_decimal(text: str) -> Decimal | None:
    """Value of a run of English number words or digits; None when it holds no number."""
    text = re.sub(r"(?<=\d),(?=\d)", "", text.lower().strip())
    tokens = [t for t in re.split(r"[\s,-]+", text) if t]
    if not tokens:
        return None
    if len(tokens) > 2 and any(t[0].isdigit() for t in tokens):
        mixed = _en_mixed_value(tokens)  # "3 hundred and 50", "two hundred and 50"
        if mixed is not None:
            return mixed
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", tokens[0]):
        value = _decimal(tokens[0].replace(",", ""))
        if value is None:
            return None
        for scale in tokens[1:]:
            value *= EN_SCALES.get(scale, 1)
        return value
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?k", tokens[0]):
        head = _decimal(tokens[0][:-1].replace(",", ""))
        return None if head is None else head * 1000
    return _en_pair_value(tokens) or _en_word_value(tokens)


def _en_mixed_value(words: list[str]) -> Decimal | None:
    """Digits and words with a scale between them ("3 hundred and 50", "1 thousand 2 hundred",
    "2 grand and fifty"), as a recogniser prints them; None unless a figure follows a scale."""
    total, current, after_scale = Decimal(0), Decimal(0), False
    for word in words:
        value = _decimal(word) if word[0].isdigit() else None
        if word == "and":
            continue
        if word == "a":  # "a thousand and 20"
            word = "one"
        if value is not None or word in EN_UNITS:
            current += value if value is not None else EN_UNITS[word]
            after_scale = after_scale or total > 0 or current >= 100
        elif word == "hundred":
            current = (current or Decimal(1)) * 100
        elif word in EN_SCALES:
            total, current = total + (current or Decimal(1)) * 1000, Decimal(0)
        else:
            return None
    return total + current if after_scale else None


def _en_pair_value(tokens: list[str]) -> Decimal | None:
    """ "two fifty" = 250, "fifteen seventy five" = 1575: spoken without "hundred"."""
    words = [t for t in tokens if t != "and"]
    if len(words) < 2 or not all(w in EN_UNITS for w in words):
        return None
    head, second = EN_UNITS[words[0]], EN_UNITS[words[1]]
    if second < 10 or head == 0:
        return None  # "twenty five" is 25
    rest = _en_word_value(words[1:])
    return None if rest is None or rest >= 100 else head * 100 + rest


def _en_word_value(words: list[str]) -> Decimal | None:
    total = 0
    current = 0
    seen = False
    for word in words:
        if word in ("and", "a"):
            if word == "a":
                current = max(current, 1)
            continue
        if word in EN_UNITS:
            current += EN_UNITS[word]
            seen = True
        elif word == "hundred":
            current = max(current, 1) * 100
            seen = True
        elif word in EN_SCALES:
            total += max(current, 1) * EN_SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return Decimal(total + current) if seen else None


def en_two_said(run: str) -> int | None:
    """Where a run of number words that is no one number splits into the two said side by side
    ("two hundred one fifty" is 200 and 150, "not ninety eighty"): the offset of the second, or
    None when the run reads as one ("two hundred fifty", "a thousand eight hundred", "one
    fifty"). Of the ways to split it the one with the two closest in size is taken (a speaker
    corrects to a near figure: 200 / 150, not 201 / 50); each must be 10 or more."""
    words = [(m.group().lower(), m.start()) for m in re.finditer(r"[^\s,-]+", run)]
    if len(words) < 2 or any(w not in EN_UNITS and w not in EN_SCALES and w not in ("a", "and")
                             for w, _ in words) or not _glued([w for w, _ in words]):  # fmt: skip
        return None
    best: tuple[Decimal, int] | None = None
    for i in range(1, len(words)):
        left, right = [w for w, _ in words[:i]], [w for w, _ in words[i:]]
        if left[-1] in ("a", "and") or right[0] in ("and", *EN_SCALES):
            continue
        values = [_one_number(left), _one_number(right)]
        if any(v is None or v < 10 for v in values):
            continue
        low, high = sorted(v for v in values if v is not None)
        if best is None or high / low < best[0]:
            best = (high / low, words[i][1])
    return None if best is None else best[1]


def _glued(words: list[str]) -> bool:
    """Two numbers run together: two small numbers side by side that are no "twenty five"
    ("one fifty", "ninety eighty"), or a scale said twice in a row ("two hundred a hundred";
    "a thousand eight hundred" is one)."""
    core = [w for w in words if w not in ("a", "and")]
    for prev, word in pairwise(core):
        if prev in EN_UNITS and word in EN_UNITS:
            tens = EN_UNITS[prev] >= 20 and EN_UNITS[prev] % 10 == 0
            if not (tens and EN_UNITS[word] < 10):
                return True
    scales = [EN_SCALES[w] for w in core if w in EN_SCALES]
    return any(later == earlier for earlier, later in pairwise(scales))


def _one_number(words: list[str]) -> Decimal | None:
    """The value of words that say one number, the short way ("one fifty") or in full."""
    if _glued(words):
        return _en_pair_value(words)
    return _en_word_value(words)


def en_ordinal_value(text: str) -> int | None:
    """1..31 from "15th", "fifteenth", "twenty first"; None otherwise."""
    text = text.lower().strip()
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", text)
    if m:
        return int(m.group(1))
    parts = re.split(r"[\s-]+", text)
    value = 0
    for part in parts:
        if part in ("twenty", "thirty"):
            value += EN_UNITS[part]
        elif part in EN_ORDINALS:
            value += EN_ORDINALS[part]
        elif part in EN_UNITS and EN_UNITS[part] < 10:
            value += EN_UNITS[part]
        else:
            return None
    return value or None


def zh_to_decimal(text: str) -> Decimal | None:
    """Value of a Mandarin numeral, possibly mixed with digits: 三千五, 1.5万, 两万五, 2千."""
    text = text.replace(",", "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _decimal(text)
    if "亿" in text:
        high, _, low = text.partition("亿")
        high_v = zh_to_decimal(high) if high else Decimal(1)
        low_v = _zh_below(low, Decimal(10_000_000)) if low else Decimal(0)
        return None if high_v is None or low_v is None else high_v * 100_000_000 + low_v
    if "万" in text:
        high, _, low = text.partition("万")
        high_v = _zh_section(high) if high else Decimal(1)
        low_v = _zh_below(low, Decimal(1000)) if low else Decimal(0)
        return None if high_v is None or low_v is None else high_v * 10_000 + low_v
    return _zh_section(text)


def _zh_below(text: str, abbreviated_unit: Decimal) -> Decimal | None:
    """The part after 万/亿: a lone digit is abbreviated (两万五 = 25000)."""
    if len(text) == 1 and text in ZH_DIGITS:
        return ZH_DIGITS[text] * abbreviated_unit
    return zh_to_decimal(text)


# two neighbouring digits before a unit or closing the number say a range (两三千, 五六百,
# 三五百, 一千二三 = 1200-1300, 十二三): the lower end is promised
_ZH_RANGE = re.compile(r"([一二两三四五六七八])([二两三四五六七八九])(?=[十百千]|$)")
_ZH_NEXT = {"一": "二两", "二": "三", "两": "三", "三": "四五", "四": "五", "五": "六", "六": "七",
            "七": "八", "八": "九"}  # fmt: skip


def _lower_end(text: str) -> str:
    said = _ZH_RANGE.search(text)
    if said is None or said.group(2) not in _ZH_NEXT[said.group(1)]:
        return text
    return text[: said.start(2)] + text[said.end(2) :]


def _zh_section(text: str) -> Decimal | None:
    """A number below 10 000 (or a plain decimal like 1.5), e.g. 一千五 = 1500, 十五 = 15."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _decimal(text)
    text = _lower_end(text)
    total = Decimal(0)
    current: Decimal | None = None
    last_unit = 0
    after_zero = False
    i = 0
    while i < len(text):
        ch = text[i]
        digits = re.match(r"\d+(?:\.\d+)?", text[i:])
        if digits:
            current = _decimal(digits.group(0))
            i += len(digits.group(0))
            continue
        if ch in ZH_DIGITS:
            after_zero = after_zero or ZH_DIGITS[ch] == 0
            current = Decimal(ZH_DIGITS[ch])
        elif ch in ZH_UNITS:
            unit = ZH_UNITS[ch]
            total += (current if current is not None else Decimal(1)) * unit
            current, last_unit, after_zero = None, unit, False
        else:
            return None
        i += 1
    if current is not None:
        if last_unit >= 100 and not after_zero:
            current *= Decimal(last_unit // 10)
        total += current
    return total


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
