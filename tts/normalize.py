"""Text normalisation before synthesis, per language, and clause splitting for streaming.

English: "$1,250.50" -> "one thousand two hundred fifty dollars and fifty cents", dates
("2026-12-10", "12/10/2026", "Dec 10th") -> "December tenth twenty twenty-six", ordinals,
percentages, clock times, long digit strings (phone and account numbers) digit by digit.
Mandarin: "1250元" -> "一千二百五十元", "12月10号" -> "十二月十号", "2026年" -> "二〇二六年",
"3.5%" -> "百分之三点五". Pure functions, no I/O.
"""

from __future__ import annotations

import re

from tts.numbers import (
    cardinal_en,
    cardinal_zh,
    digits_en,
    digits_zh,
    ordinal_en,
    phone_digits_zh,
    year_en,
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_ABBR = {m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)}
_NUM = r"\d{1,3}(?:,\d{3})+|\d+"
_CURRENCY_EN = {"$": "dollar", "usd": "dollar", "€": "euro", "eur": "euro", "£": "pound"}
_SUBUNIT_EN = {"dollar": "cent", "euro": "cent", "pound": "penny"}

_MONEY_PREFIX = re.compile(
    rf"(?P<cur>[$€£]|\b(?:USD|EUR)\s?)(?P<int>{_NUM})(?:\.(?P<frac>\d{{1,2}}))?\b"
)
_MONEY_SUFFIX = re.compile(
    rf"\b(?P<int>{_NUM})(?:\.(?P<frac>\d{{1,2}}))?\s?(?P<cur>USD|EUR|dollars?|euros?)\b", re.I
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONTH_DAY = re.compile(
    r"\b(?P<m>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+(?P<d>\d{1,2})"
    r"(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4})\b)?",
    re.I,
)
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s?%")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\s?(?:([ap])\.?m\.?\b)?", re.I)
_ENDING_IN = re.compile(r"\b(ending in|last four|number)\s+(\d+)\b", re.I)
_NUMBER = re.compile(rf"(?<![\w.])(?P<int>{_NUM})(?:\.(?P<frac>\d+))?(?![\w])")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def _plural(n: int, unit: str) -> str:
    if n == 1:
        return unit
    return "pennies" if unit == "penny" else unit + "s"


def money_en(whole: int, cents: int, unit: str = "dollar") -> str:
    """(1250, 50) -> 'one thousand two hundred fifty dollars and fifty cents'."""
    sub = _SUBUNIT_EN[unit]
    main = f"{cardinal_en(whole)} {_plural(whole, unit)}"
    if not cents:
        return main
    small = f"{cardinal_en(cents)} {_plural(cents, sub)}"
    return small if whole == 0 else f"{main} and {small}"


def _cents(frac: str | None) -> int:
    return int(frac.ljust(2, "0")) if frac else 0


def _money_en(m: re.Match[str]) -> str:
    cur = m["cur"].strip().lower().rstrip("s")
    return money_en(_int(m["int"]), _cents(m["frac"]), _CURRENCY_EN.get(cur, cur))


def date_en(month: int, day: int, year: int | None = None) -> str:
    """(12, 10, 2026) -> 'December tenth twenty twenty-six'."""
    text = f"{MONTHS[month - 1]} {ordinal_en(day)}"
    return f"{text} {year_en(year)}" if year else text


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _iso_en(m: re.Match[str]) -> str:
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    return date_en(mo, d, y) if _valid(mo, d) else m[0]


def _us_en(m: re.Match[str]) -> str:
    mo, d, y = int(m[1]), int(m[2]), int(m[3])
    return date_en(mo, d, y) if _valid(mo, d) else m[0]


def _month_day_en(m: re.Match[str]) -> str:
    month = _MONTH_ABBR[m["m"][:3].lower()]
    return date_en(month, int(m["d"]), int(m["y"]) if m["y"] else None)


def _time_en(m: re.Match[str]) -> str:
    hour, minute = int(m[1]), int(m[2])
    if hour > 23 or minute > 59:
        return m[0]
    words = cardinal_en(hour)
    if minute:
        words += " " + (f"oh {cardinal_en(minute)}" if minute < 10 else cardinal_en(minute))
    elif not m[3]:
        words += " o'clock"
    return f"{words} {m[3].lower()} m" if m[3] else words


def _number_en(m: re.Match[str]) -> str:
    raw = m["int"]
    if "," not in raw and (len(raw) >= 7 or (len(raw) > 1 and raw.startswith("0"))):
        return digits_en(raw)
    words = cardinal_en(_int(raw))
    return f"{words} point {digits_en(m['frac'])}" if m["frac"] else words


def normalize_en(text: str) -> str:
    text = _MONEY_PREFIX.sub(_money_en, text)
    text = _MONEY_SUFFIX.sub(_money_en, text)
    text = _ISO_DATE.sub(_iso_en, text)
    text = _US_DATE.sub(_us_en, text)
    text = _MONTH_DAY.sub(_month_day_en, text)
    text = _ORDINAL.sub(lambda m: ordinal_en(int(m[1])), text)
    text = _PERCENT.sub(lambda m: f"{m[1]} percent", text)
    text = _TIME.sub(_time_en, text)
    text = _ENDING_IN.sub(lambda m: f"{m[1]} {digits_en(m[2])}", text)
    text = _NUMBER.sub(_number_en, text)
    return re.sub(r"\s{2,}", " ", text).strip()


_ZH_MONEY_PREFIX = re.compile(rf"(?:¥|￥|RMB\s?|人民币)(?P<int>{_NUM})(?:\.(?P<frac>\d{{1,2}}))?")
_ZH_MONEY_SUFFIX = re.compile(rf"(?P<int>{_NUM})(?:\.(?P<frac>\d{{1,2}}))?\s?(?P<unit>元|块钱|块)")
_ZH_DOLLAR = re.compile(rf"\$(?P<int>{_NUM})(?:\.(?P<frac>\d{{1,2}}))?")
_ZH_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ZH_YEAR = re.compile(r"(\d{4})\s?年")
_ZH_MONTH = re.compile(r"(\d{1,2})\s?月")
_ZH_DAY = re.compile(r"(\d{1,2})\s?(日|号)")
_ZH_PERCENT = re.compile(r"(\d+)(?:\.(\d+))?\s?[%％]")
_ZH_TAIL = re.compile(r"(尾号|号码|账号|卡号|电话|手机)\s?(\d+)")
# 400-820-1234, 138 1234 5678, (021)-1234-5678: a phone number written in groups
_ZH_PHONE = re.compile(r"(?<!\d)\(?\d{3,4}\)?(?:[- ]\d{3,4}){1,2}(?!\d)")
_ZH_NUMBER = re.compile(rf"(?P<int>{_NUM})(?:\.(?P<frac>\d+))?")
# "4 0 0, 8 2 0, 1 2 3 4" (how the policy spells a phone number out): single digits, spaced
_ZH_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?:(?:,\s*|\s+)\d){2,}(?![\d.])")


def money_zh(whole: int, cents: int, unit: str = "元") -> str:
    """(1250, 50) -> '一千二百五十元五角'; '块' amounts use 毛 for tenths."""
    text = f"{cardinal_zh(whole)}{unit}" if whole or not cents else ""
    jiao, fen = divmod(cents, 10)
    if jiao:
        text += cardinal_zh(jiao) + ("毛" if unit.startswith("块") else "角")
    if fen:
        text += ("零" if whole and not jiao else "") + cardinal_zh(fen) + "分"
    return text


def _decimal_zh(whole: str, frac: str | None) -> str:
    words = cardinal_zh(_int(whole))
    return f"{words}点{digits_zh(frac).replace('〇', '零')}" if frac else words


def _number_zh(m: re.Match[str]) -> str:
    raw = m["int"]
    if "," not in raw and (len(raw) >= 7 or (len(raw) > 1 and raw.startswith("0"))):
        return phone_digits_zh(raw)
    return _decimal_zh(raw, m["frac"])


def _spaced_digits_zh(m: re.Match[str]) -> str:
    """'4 0 0, 8 2 0' -> '四零零，八二零': digit by digit (1 as 幺), a pause at each group."""
    groups = re.split(r",\s*", m[0])
    return "，".join(phone_digits_zh(re.sub(r"\D", "", g)) for g in groups)


def normalize_zh(text: str) -> str:
    text = _ZH_MONEY_PREFIX.sub(lambda m: money_zh(_int(m["int"]), _cents(m["frac"])), text)
    text = _ZH_MONEY_SUFFIX.sub(
        lambda m: money_zh(_int(m["int"]), _cents(m["frac"]), m["unit"]), text
    )
    text = _ZH_DOLLAR.sub(lambda m: money_zh(_int(m["int"]), _cents(m["frac"]), "美元"), text)
    text = _ZH_ISO_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    text = _ZH_YEAR.sub(lambda m: digits_zh(m[1]) + "年", text)
    text = _ZH_MONTH.sub(lambda m: cardinal_zh(int(m[1])) + "月", text)
    text = _ZH_DAY.sub(lambda m: cardinal_zh(int(m[1])) + m[2], text)
    text = _ZH_PERCENT.sub(lambda m: "百分之" + _decimal_zh(m[1], m[2]), text)
    text = _ZH_TAIL.sub(lambda m: m[1] + phone_digits_zh(m[2]), text)
    text = _ZH_PHONE.sub(lambda m: phone_digits_zh(re.sub(r"\D", "", m[0])), text)
    text = _ZH_SPACED_DIGITS.sub(_spaced_digits_zh, text)
    return _ZH_NUMBER.sub(_number_zh, text)


def normalize(text: str, language: str) -> str:
    """Normalise ``text`` for reading aloud in ``language`` (unknown languages pass through)."""
    if language == "en":
        return normalize_en(text)
    if language == "zh":
        return normalize_zh(text)
    return text


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])")
_CLAUSE_END = re.compile(r"(?<=[,:])\s+|(?<=[，、：])")


def split_clauses(text: str, language: str, min_chars: int | None = None) -> list[str]:
    """Sentences, then clauses at commas, merged so each piece has at least ``min_chars``.

    The first piece may be as short as one clause ("Hello,") so the first audio is ready early;
    the rest are rendered while it plays.
    """
    minimum = min_chars if min_chars is not None else (6 if language == "zh" else 16)
    joiner = "" if language == "zh" else " "
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        buffer = ""
        for clause in _CLAUSE_END.split(sentence):
            buffer = f"{buffer}{joiner}{clause}".strip()
            if len(buffer) >= (minimum if pieces else 2):
                pieces.append(buffer)
                buffer = ""
        if buffer:
            if pieces and len(buffer) < minimum // 2 and not _ends_sentence(pieces[-1]):
                pieces[-1] = f"{pieces[-1]}{joiner}{buffer}"
            else:
                pieces.append(buffer)
    return [p for p in pieces if p]


def _ends_sentence(piece: str) -> bool:
    return piece[-1:] in ".!?;。！？；"


_COMPARE_DROP = re.compile(r"[\s，。！？、,.!?：:；;\"'“”]")


def comparable_zh(text: str) -> str:
    """Mandarin as said, for comparing a transcript with what was meant (CER): numbers read
    out, punctuation and spaces dropped, 两 = 二 ('还两千块。' and '还2000块' compare equal)."""
    return _COMPARE_DROP.sub("", normalize_zh(text)).replace("两", "二")
