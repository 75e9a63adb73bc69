"""Numbers read aloud: English cardinals/ordinals/years and Mandarin numerals (pure functions)."""

from __future__ import annotations

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
_ZH_DIGITS = "零一二三四五六七八九"
_ZH_UNITS = ((10**8, "亿"), (10**4, "万"))


def _below_thousand(n: int) -> str:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


def cardinal_en(n: int) -> str:
    """1250 -> 'one thousand two hundred fifty' (American style, no 'and')."""
    if n < 0:
        return "minus " + cardinal_en(-n)
    if n < 1000:
        return _below_thousand(n)
    for value, name in _SCALES:
        if n >= value:
            head, rest = divmod(n, value)
            tail = f" {cardinal_en(rest)}" if rest else ""
            return f"{cardinal_en(head)} {name}{tail}"
    raise AssertionError("unreachable")


def ordinal_en(n: int) -> str:
    """10 -> 'tenth', 21 -> 'twenty-first'."""
    words = cardinal_en(n)
    head, sep, last = words.rpartition(" ")
    stem_head, dash, stem = last.rpartition("-")
    if stem in _ORDINAL_WORDS:
        stem = _ORDINAL_WORDS[stem]
    elif stem.endswith("y"):
        stem = stem[:-1] + "ieth"
    else:
        stem += "th"
    return f"{head}{sep}{stem_head}{dash}{stem}"


def year_en(year: int) -> str:
    """2026 -> 'twenty twenty-six', 2005 -> 'two thousand five', 1999 -> 'nineteen ninety-nine'."""
    if 2000 <= year < 2010 or year % 1000 == 0 or not 1000 <= year <= 9999:
        return cardinal_en(year)
    high, low = divmod(year, 100)
    if low == 0:
        return f"{cardinal_en(high)} hundred"
    low_words = cardinal_en(low) if low >= 10 else f"oh {cardinal_en(low)}"
    return f"{cardinal_en(high)} {low_words}"


def digits_en(digits: str) -> str:
    return " ".join(_ONES[int(d)] for d in digits)


def _zh_below_10000(n: int, *, leading: bool) -> str:
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero or (not out and not leading and value < 1000):
            out += "零"
        zero = False
        if value == 10 and d == 1 and not out and leading:
            out += "十"
        else:
            out += _ZH_DIGITS[d] + unit
    return out


def _cardinal_zh(n: int) -> str:
    out = ""
    rest = n
    for value, unit in _ZH_UNITS:
        if rest >= value:
            head, rest = divmod(rest, value)
            out += _cardinal_zh(head) + unit
    if rest:
        out += _zh_below_10000(rest, leading=not out)
    return out


def cardinal_zh(n: int) -> str:
    """1250 -> '一千二百五十', 105 -> '一百零五', 2000 -> '两千', 15 -> '十五'."""
    if n < 0:
        return "负" + cardinal_zh(-n)
    if n == 0:
        return "零"
    out = _cardinal_zh(n)
    if out[:2] in ("二千", "二万", "二亿"):
        out = "两" + out[1:]
    return out


def digits_zh(digits: str) -> str:
    """'2026' -> '二〇二六' (years are read digit by digit)."""
    return "".join("〇" if d == "0" else _ZH_DIGITS[int(d)] for d in digits)


def phone_digits_zh(digits: str) -> str:
    """'13801' -> '幺三八零幺': phone, card and account numbers (1 as 幺, not heard as 七)."""
    return "".join("幺" if d == "1" else "零" if d == "0" else _ZH_DIGITS[int(d)] for d in digits)
