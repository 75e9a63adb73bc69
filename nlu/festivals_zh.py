"""Mandarin festival and lunar-calendar days (春节, 年前, 除夕, 正月十五, 腊月二十, 中秋, 端午,
清明, 国庆, 元旦), read by ``nlu.dates_zh``'s rules. The lunar days come from a fixed table of the
years 2026–2036 (checked against the ``lunardate`` package when it was written; no calendar
library is a dependency): a year outside it names no day, and the policy asks for one.

- A festival said alone, or with 那天 / 前后 ("about then"), is the festival's day: the next one
  from today on.
- Before a day (中秋前, 国庆节前, 元旦之前, 正月十五之前, 腊月二十前, 除夕前) is that day, as
  十五号之前 is the 15th and 月底之前 the month's last day: the project's reading of a deadline.
- Before the new year (年前, 春节前, 过年之前) is 除夕, the old lunar year's last day, as 年底 is
  the calendar year's (``nlu.dates_zh``): 年 in 年前 / 过年 is the Spring Festival.
- After a festival (过完年, 年后, 春节以后, 国庆后, 中秋过后) names no day: nothing matches, the
  policy asks which day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from nlu.days import Rule
from nlu.numbers import zh_to_decimal

# lunar year -> (正月初一 = the Spring Festival, 腊月初一 of the 腊月 before it, 端午 五月初五,
# 中秋 八月十五); 清明 is a solar term: April 4 or 5
_LUNAR: dict[int, tuple[date, date, date, date]] = {
    2026: (date(2026, 2, 17), date(2026, 1, 19), date(2026, 6, 19), date(2026, 9, 25)),
    2027: (date(2027, 2, 6), date(2027, 1, 8), date(2027, 6, 9), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2027, 12, 28), date(2028, 5, 28), date(2028, 10, 3)),
    2029: (date(2029, 2, 13), date(2029, 1, 15), date(2029, 6, 16), date(2029, 9, 22)),
    2030: (date(2030, 2, 3), date(2030, 1, 4), date(2030, 6, 5), date(2030, 9, 12)),
    2031: (date(2031, 1, 23), date(2030, 12, 25), date(2031, 6, 24), date(2031, 10, 1)),
    2032: (date(2032, 2, 11), date(2032, 1, 13), date(2032, 6, 12), date(2032, 9, 19)),
    2033: (date(2033, 1, 31), date(2033, 1, 1), date(2033, 6, 1), date(2033, 9, 8)),
    2034: (date(2034, 2, 19), date(2034, 1, 20), date(2034, 6, 20), date(2034, 9, 27)),
    2035: (date(2035, 2, 8), date(2035, 1, 9), date(2035, 6, 10), date(2035, 9, 16)),
    2036: (date(2036, 1, 28), date(2035, 12, 29), date(2036, 5, 30), date(2036, 10, 4)),
}
_QINGMING_5TH = frozenset({2026, 2027, 2030, 2031, 2034, 2035})  # else April 4th (to 2035)

Day = Callable[[int], date | None]  # a festival's day in a given (lunar) year


def spring_festival(year: int) -> date | None:
    return _LUNAR[year][0] if year in _LUNAR else None


def _first_month(day: int) -> Day:
    """正月 ``day`` (正月 has 29 or 30 days: 初一 .. 三十)."""
    return lambda year: None if year not in _LUNAR else _LUNAR[year][0] + timedelta(days=day - 1)


def _twelfth_month(day: int) -> Day:
    """腊月 ``day`` of the 腊月 before ``year``'s Spring Festival; 腊月三十 in a 29-day 腊月 is
    the eve (年三十 is said of it either way)."""

    def resolve(year: int) -> date | None:
        if year not in _LUNAR:
            return None
        festival, first = _LUNAR[year][0], _LUNAR[year][1]
        return min(first + timedelta(days=day - 1), festival - timedelta(days=1))

    return resolve


def _qingming(year: int) -> date | None:
    return date(year, 4, 5 if year in _QINGMING_5TH else 4) if 2026 <= year <= 2035 else None


def next_day(day: Day, today: date, eve: bool = False) -> date | None:
    """The festival's next day from ``today`` on (its eve with ``eve``), or None outside the
    table."""
    for year in (today.year, today.year + 1):
        found = day(year)
        if found is not None and eve:
            found -= timedelta(days=1)
        if found is not None and found >= today:
            return found
    return None


_N = "[一二三四五六七八九十廿]{1,3}"
# "before": 前 / 之前 / 以前 (never 前后 "about then", 前天 / 前面)
_BEFORE = r"(?P<before>(?:之|以)?前(?![后後天面]))?"
# what may not follow a festival's name: "after" it (节 said or not)
_HOLIDAY = "(?:节|长假|假期|黄金周)?"
_NOT_AFTER = rf"(?!{_HOLIDAY}\s*(?:以后|之后|过后|后(?!天)|過後|以後|过完|过了))"
# a count or a measure after the number: no day (年初一次性, 年初二月份, 年三十万块)
_NOT_UNIT = "(?![0-9零一二两三四五六七八九十百千万块元个号日號次月岁年])"
# (name, its day, whether "before" it is the eve: only the new year's, see the docstring)
_FESTIVALS: list[tuple[str, Day, bool]] = [
    ("(?:春节|大年初一|正月初一)", _first_month(1), True),
    # 过年 alone is a season ("过年回家"): a day only when "before" it is said
    ("(?:过年|過年)(?=(?:之|以)?前)", _first_month(1), True),
    ("元宵", _first_month(15), False),
    ("端午", lambda y: _LUNAR[y][2] if y in _LUNAR else None, False),
    ("中秋", lambda y: _LUNAR[y][3] if y in _LUNAR else None, False),
    ("清明", _qingming, False),
    ("(?:国庆|十一(?=(?:之|以)?前(?![后天])|长假|假期|黄金周))", lambda y: date(y, 10, 1), False),
    ("元旦", lambda y: date(y, 1, 1), False),
]


def _lunar_number(text: str) -> int | None:
    value = zh_to_decimal(text.replace("廿", "二十"))
    return None if value is None or value != int(value) or not 1 <= value <= 30 else int(value)


def _festival_rule(name: str, day: Day, eve_before: bool) -> Rule:
    # (过了春节 / 过完中秋 再还: after it, no day)
    pattern = re.compile(rf"(?<!过了)(?<!过完){name}{_HOLIDAY}{_BEFORE}{_NOT_AFTER}")
    return pattern, lambda m, t: next_day(day, t, eve=eve_before and bool(m.group("before"))), ""


def _lunar_day(m: re.Match[str], today: date) -> date | None:
    n = _lunar_number(m.group("n"))
    if n is None:
        return None
    twelfth = m.groupdict().get("month") in ("腊月", "臘月")
    return next_day(_twelfth_month(n) if twelfth else _first_month(n), today)


# the eve by its names; 年前 (before the year: no number, 去/今/明 or a count before 年)
_NOT_YEAR_OF = "(?<![0-9零一二两三四五六七八九十百几多去今明后前半新本当往])"
_EVE = rf"(?:除夕|大年夜|(?:大年|{_NOT_YEAR_OF}年)三十{_NOT_UNIT})"
_PAY = "(?=\\s*(?:之前|以前|前|那天|再|就|还|給|给|转|打|把|一定|肯定|吧))"
FESTIVAL_RULES: list[Rule] = [
    (
        re.compile(rf"{_EVE}{_BEFORE}{_NOT_AFTER}"),
        lambda m, t: next_day(_first_month(1), t, eve=True),
        "",
    ),
    (
        re.compile(rf"{_NOT_YEAR_OF}年(?:之|以)?前(?![后後天])"),
        lambda m, t: next_day(_first_month(1), t, eve=True),
        "",
    ),
    # 正月十五 / 腊月二十 / 农历腊月初八; 大年初八 / 年初六; 初六 said before a payment word
    (
        re.compile(rf"(?:农历|農曆)?(?P<month>正月|腊月|臘月)初?(?P<n>{_N})[号日號]?{_NOT_UNIT}"),
        _lunar_day,
        "",
    ),
    (re.compile(rf"(?:大年|{_NOT_YEAR_OF}年)初(?P<n>{_N}){_NOT_UNIT}"), _lunar_day, ""),
    (re.compile(rf"(?<![月最当起年])初(?P<n>[一二三四五六七八九十]){_PAY}"), _lunar_day, ""),
    *(_festival_rule(name, day, eve_before) for name, day, eve_before in _FESTIVALS),
]
