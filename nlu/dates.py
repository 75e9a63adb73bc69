"""Dates said by a debtor, resolved against ``today`` (rules documented in docs/nlu.md).

- today / 今天; tomorrow / 明天; the day after tomorrow / 后天 = +2; 大后天 = +3
- a bare weekday ("friday", "on friday", "this friday", 周五, 礼拜五, 星期五) is its next
  occurrence strictly after today (said on a Friday, "friday" is a week later)
- "next friday" / 下周五 is that weekday in the next Monday-to-Sunday week
- "the fifteenth", "the 15th", 15号, 十五号 is the next such day of the month strictly after today
  (a month without that day is skipped)
- "december tenth", "10th of december", 12月10号 is that date this year, or next year if past
- "end of the month", 月底 is the last day of the current month; 下个月底 of the next month
- "in N days" / N天后 is today + N; "in a week" / 一周后 is today + 7
- yesterday / 昨天 = -1, the day before yesterday / 前天 = -2 (for "I already paid"; parse()
  drops past dates, the already-paid step reads them itself)
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from nlu.corrections import taken_back
from nlu.dates_zh import ZH_PAST, ZH_RULES, heard_day_words
from nlu.days import (
    FoundDate,
    Rule,
    end_of_month,
    last_weekday,
    month_day,
    next_day_of_month,
    next_weekday,
    previous_occurrence,
    weekday_next_week,
)
from nlu.numbers import EN_ORDINAL_RE, en_ordinal_value, en_words_to_decimal

EN_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_WD = "|".join(sorted(EN_WEEKDAYS, key=len)[::-1])
_MON = "|".join(sorted(EN_MONTHS, key=len)[::-1])
_ORD = EN_ORDINAL_RE.pattern
_DAYNUM = rf"(?:{_ORD}|\b\d{{1,2}}\b)"
# what an ordinal ranks when it names no day of the month ("the first payment", "the second time")
_NOT_A_DAY_AFTER = (
    r"(?:ones?|payments?|installments?|instalments?|parts?|halfs?|half|times?|things?|months?"
    r"|weeks?|years?|steps?|calls?|checks?|cheques?|bills?|amounts?|place|person|guy|lady)\b"
)


def find_dates(text: str, lang: str, today: date) -> list[FoundDate]:
    """Every date expression in ``text``, left to right, without overlaps. The past forms are
    read too ("last tuesday", 上周三), so their words are never taken for a future date. A day
    the speaker took back (周五，哦不，周六; "Friday, no wait, Saturday") is left out."""
    return dates_said(text, lang, today)[1]


def dates_said(text: str, lang: str, today: date) -> tuple[list[FoundDate], list[FoundDate]]:
    """Every date expression in ``text``, and those of them the speaker did not take back
    (``nlu.corrections``)."""
    heard = heard_day_words(text) if lang == "zh" else text  # the same length as the text
    found = _scan(heard, today, _rules(lang))
    return found, taken_back(heard, found, lang)


def find_past_dates(text: str, lang: str, today: date) -> list[FoundDate]:
    """Dates in ``text`` read as the past ("I paid on Tuesday", "last friday", 上周三, 15号,
    three days ago): a repeating day said without "next" is its latest occurrence up to today.
    Only dates up to ``today`` are returned."""
    found = []
    for item in find_dates(text, lang, today):
        value = (
            previous_occurrence(item.value, item.kind, today) if item.value > today else item.value
        )
        if value is not None and value <= today:
            found.append(FoundDate(item.start, item.end, value, item.text, item.kind))
    return found


def _rules(lang: str) -> list[Rule]:
    return [*ZH_PAST, *ZH_RULES] if lang == "zh" else [*_EN_PAST, *_EN_RULES]


def _scan(text: str, today: date, rules: list[Rule]) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern, resolve, kind in rules:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            value = resolve(m, today)
            if value is not None:
                found.append(FoundDate(m.start(), m.end(), value, m.group(0), kind))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


# --- English -------------------------------------------------------------------------------


def _en_month_day(m: re.Match[str], today: date) -> date | None:
    month = EN_MONTHS[m.group("mon").lower()]
    day = en_ordinal_value(m.group("day") or m.group("day2"))
    if day is not None and day > 31:  # "december 40": the -teen heard as -ty (_TEEN_TY)
        day = _TEEN_TY.get(day)
    return None if day is None else month_day(today, month, day)


def _en_count(raw: str) -> int | None:
    """ "a" = 1, "a couple (of)" = 2, else the number said."""
    if raw in ("a", "an"):
        return 1
    if "couple" in raw:
        return 2
    value = en_words_to_decimal(raw)
    return None if value is None else int(value)


def _en_in_days(m: re.Match[str], today: date) -> date | None:
    n = _en_count(m.group("n"))
    if n is None:
        return None
    days = int(n) * (7 if m.group("unit").startswith("week") else 1)
    return today + timedelta(days=days)


def _en_day_of_month(m: re.Match[str], today: date) -> date | None:
    day = en_ordinal_value(m.group("day"))
    return None if day is None else next_day_of_month(today, day)


# the recogniser swaps -teen and -ty ("the 14th" heard "the 40", "the 30th" heard "the 13th")
_TEEN_TY = {30: 13, 13: 30, 40: 14, 50: 15, 60: 16, 70: 17, 80: 18, 90: 19}


def _en_weekday_the_day(m: re.Match[str], today: date) -> date | None:
    """ "monday the 14th": the day of the month decides; when it is not that weekday (or no day
    at all: "monday the 40") and its -teen/-ty twin is, the twin was said."""
    day = en_ordinal_value(m.group("day"))
    if day is None:
        return None
    said = next_day_of_month(today, day)
    weekday = EN_WEEKDAYS[m.group("wd").lower()]
    if said is not None and said.weekday() == weekday:
        return said
    twin = next_day_of_month(today, _TEEN_TY[day]) if day in _TEEN_TY else None
    return twin if twin is not None and twin.weekday() == weekday else said


_TEENS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen"
)
_CARDINAL_TEN_UP = (
    r"(?:twenty[\s-](?:one|two|three|four|five|six|seven|eight|nine)|thirty[\s-]one|twenty"
    r"|thirty|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_CARDINAL_DAY = (
    r"(?:twenty[\s-](?:one|two|three|four|five|six|seven|eight|nine)|thirty[\s-]one|twenty"
    rf"|thirty|{_TEENS})"
)


def _en_cardinal_day(m: re.Match[str], today: date) -> date | None:
    raw = m.group("day").lower()
    value = int(raw) if raw.isdigit() else en_words_to_decimal(raw.replace("-", " "))
    if value is None or not 1 <= int(value) <= 31:
        return None
    return next_day_of_month(today, int(value))


def _en_next_month_day(m: re.Match[str], today: date) -> date | None:
    day = en_ordinal_value(m.group("day"))
    first = end_of_month(today) + timedelta(days=1)
    try:
        return None if day is None else first.replace(day=day)
    except ValueError:
        return None


def _en_ago(m: re.Match[str], today: date) -> date | None:
    n = _en_count(m.group("n"))
    if n is None:
        return None
    return today - timedelta(days=n * (7 if m.group("unit").startswith("week") else 1))


def _en_from_now(m: re.Match[str], today: date) -> date | None:
    """ "a week from today", "two weeks from tomorrow", "ten days from now"."""
    start = today + timedelta(days=1 if m.group("base").lower().startswith("tom") else 0)
    return _en_in_days(m, start)


_FEW = r"(?:a\s+)?couple(?:\s+of)?"
_EN_RULES: list[Rule] = [
    (
        re.compile(
            rf"\b(?P<n>an?|{_FEW}|\d{{1,2}}|[a-z]+)\s+(?P<unit>days?|weeks?)\s+from\s+"
            r"(?P<base>today|now|tomor+ow)\b",
            re.I,
        ),
        _en_from_now,
        "",
    ),
    (
        re.compile(rf"\b(?P<mon>{_MON})\.?\s+(?:the\s+)?(?P<day>{_DAYNUM})", re.I),
        _en_month_day,
        "year",
    ),
    (
        # "the 10th of december"; "25th November" (the day first, as in British and Indian
        # English) when the day is an ordinal ("the 5th may" is too often the verb)
        re.compile(
            rf"(?:\bthe\s+)?(?:(?P<day>{_DAYNUM})\s+of\s+|(?P<day2>{_ORD}|\b\d{{1,2}})\s+(?!may\b))"
            rf"(?P<mon>{_MON})\b",
            re.I,
        ),
        _en_month_day,
        "year",
    ),
    (
        re.compile(rf"(?:\bthe\s+)?(?P<day>{_DAYNUM})\s+of\s+next\s+month\b", re.I),
        _en_next_month_day,
        "",
    ),
    (
        re.compile(r"\b(?:the\s+)?day\s+after\s+tomor+ow\b", re.I),
        lambda m, t: t + timedelta(days=2),
        "",
    ),
    (re.compile(r"\b(?:tomor+ow|tmrw|tommorow)\b", re.I), lambda m, t: t + timedelta(days=1), ""),
    (
        re.compile(r"\b(?:today|tonight|this\s+(?:evening|morning|afternoon))\b", re.I),
        lambda m, t: t,
        "",
    ),
    (
        re.compile(r"\b(?:the\s+)?day\s+before\s+yesterday\b", re.I),
        lambda m, t: t - timedelta(days=2),
        "",
    ),
    (re.compile(r"\byesterday\b", re.I), lambda m, t: t - timedelta(days=1), ""),
    (
        re.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|month\s+end)\b", re.I),
        lambda m, t: end_of_month(t),
        "",
    ),
    (
        re.compile(r"\b(?:the\s+)?end\s+of\s+next\s+month\b", re.I),
        lambda m, t: end_of_month(t, 1),
        "",
    ),
    (  # "friday after next", "a week from friday"
        re.compile(rf"\b(?P<wd>{_WD})\s+after\s+next\b|\ba\s+week\s+from\s+(?P<wd2>{_WD})\b", re.I),
        lambda m, t: (
            next_weekday(t, EN_WEEKDAYS[(m.group("wd") or m.group("wd2")).lower()])
            + timedelta(days=7)
        ),
        "",
    ),
    (  # a weekend is its Saturday; the end of a week its Friday
        re.compile(r"\bnext\s+weekend\b|\bend\s+of\s+next\s+week\b", re.I),
        lambda m, t: weekday_next_week(t, 5 if "weekend" in m.group(0).lower() else 4),
        "",
    ),
    (
        re.compile(r"\b(?:this\s+)?weekend\b|\b(?:the\s+)?end\s+of\s+(?:the|this)\s+week\b", re.I),
        lambda m, t: next_weekday(t, 5 if "weekend" in m.group(0).lower() else 4),
        "week",
    ),
    (
        re.compile(
            r"\b(?:the\s+)?(?:beginning|start)\s+of\s+next\s+month|\bearly\s+next\s+month\b", re.I
        ),
        lambda m, t: end_of_month(t) + timedelta(days=1),
        "",
    ),
    (  # "monday the 14th": the day of the month decides (the weekday only confirms it)
        re.compile(rf"\b(?:(?:this|next)\s+)?(?P<wd>{_WD}),?\s+the\s+(?P<day>{_DAYNUM})", re.I),
        _en_weekday_the_day,
        "month",
    ),
    (  # "next week friday", "next week on friday", "friday next week"
        re.compile(
            rf"\bnext\s+week,?\s+(?:on\s+)?(?P<wd>{_WD})\b"
            rf"|\b(?:on\s+)?(?P<wd2>{_WD})\s+(?:of\s+)?next\s+week\b",
            re.I,
        ),
        lambda m, t: weekday_next_week(t, EN_WEEKDAYS[(m.group("wd") or m.group("wd2")).lower()]),
        "",
    ),
    (
        re.compile(rf"\bnext\s+(?P<wd>{_WD})\b", re.I),
        lambda m, t: weekday_next_week(t, EN_WEEKDAYS[m.group("wd").lower()]),
        "",
    ),
    (
        re.compile(rf"\b(?:this\s+(?:coming\s+)?|on\s+|coming\s+)?(?P<wd>{_WD})\b", re.I),
        lambda m, t: next_weekday(t, EN_WEEKDAYS[m.group("wd").lower()]),
        "week",
    ),
    (
        re.compile(
            rf"\bin\s+(?P<n>an?|{_FEW}|\d{{1,2}}|[a-z]+(?:\s[a-z]+)?)\s+(?P<unit>days?|weeks?)\b",
            re.I,
        ),
        _en_in_days,
        "",
    ),
    (  # not "the first one / payment / month / time": which of several, no day
        re.compile(rf"\b(?:on\s+)?the\s+(?P<day>{_ORD})(?!\s+{_NOT_A_DAY_AFTER})", re.I),
        _en_day_of_month,
        "month",
    ),
    (  # the recogniser drops the ordinal's ending: "on the 10", "by the fifteen"
        re.compile(
            rf"\b(?:on|by|before|until|till)\s+the\s+(?P<day>\d{{1,2}}|{_CARDINAL_DAY})\b"
            r"(?!\s*(?:dollars?|bucks?|percent|%|of\b|payments?|months?|days?|weeks?))",
            re.I,
        ),
        _en_cardinal_day,
        "month",
    ),
    (re.compile(r"\b(?P<day>\d{1,2}(?:st|nd|rd|th))\b", re.I), _en_day_of_month, "month"),
    (  # a day said as a clause of its own, its ending lost: "on payday. the fifteen."
        re.compile(
            rf"(?:^|(?<=[.,!?] ))the\s+(?P<day>[12]\d|3[01]|{_CARDINAL_TEN_UP})(?=\s*(?:[.!?]|$))",
            re.I,
        ),
        _en_cardinal_day,
        "month",
    ),
]
# read only where a past date is expected (the already-paid step)
_EN_PAST: list[Rule] = [
    (  # "monday last week", "last week on monday": that day of the previous Monday-Sunday week
        re.compile(
            rf"\b(?:on\s+)?(?P<wd>{_WD})\s+(?:of\s+)?last\s+week\b"
            rf"|\blast\s+week\s+(?:on\s+)?(?P<wd2>{_WD})\b",
            re.I,
        ),
        lambda m, t: (
            weekday_next_week(t, EN_WEEKDAYS[(m.group("wd") or m.group("wd2")).lower()])
            - timedelta(days=14)
        ),
        "",
    ),
    (  # "this past monday": its latest occurrence before today
        re.compile(rf"\b(?:this\s+)?past\s+(?P<wd>{_WD})\b", re.I),
        lambda m, t: last_weekday(t, EN_WEEKDAYS[m.group("wd").lower()], skip_yesterday=False),
        "",
    ),
    (
        re.compile(rf"\blast\s+(?P<wd>{_WD})\b", re.I),
        lambda m, t: last_weekday(t, EN_WEEKDAYS[m.group("wd").lower()]),
        "",
    ),
    (
        re.compile(rf"\b(?P<n>an?|{_FEW}|\d{{1,2}}|[a-z]+)\s+(?P<unit>days?|weeks?)\s+ago\b", re.I),
        _en_ago,
        "",
    ),
    (
        re.compile(r"\b(?:the\s+)?end\s+of\s+last\s+month\b", re.I),
        lambda m, t: t.replace(day=1) - timedelta(days=1),
        "",
    ),
]
