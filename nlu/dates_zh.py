"""Mandarin date rules for ``nlu.dates`` (月日, 号, 周/星期/礼拜, 月底, N天后, the past forms):
each a pattern, its resolver against ``today`` and the kind of repeating day it names."""

from __future__ import annotations

import re
from datetime import date, timedelta

from nlu.days import (
    Rule,
    end_of_month,
    month_day,
    next_day_of_month,
    next_weekday,
    weekday_next_week,
)
from nlu.numbers import zh_to_decimal

ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_ZH_NUM = "[0-9零一二两三四五六七八九十]{1,3}"


def _zh_int(text: str) -> int | None:
    value = zh_to_decimal(text)
    return None if value is None or value != int(value) else int(value)


def _zh_month_day(m: re.Match[str], today: date) -> date | None:
    month, day = _zh_int(m.group("mon")), _zh_int(m.group("day"))
    if month is None or day is None:
        return None
    return month_day(today, month, day)


def _zh_next_month_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day"))
    if day is None:
        return None
    first = end_of_month(today) + timedelta(days=1)
    try:
        return first.replace(day=day)
    except ValueError:
        return None


def _zh_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day") or m.group("day2"))
    return None if day is None else next_day_of_month(today, day)


def _zh_in_days(m: re.Match[str], today: date, sign: int = 1) -> date | None:
    n = _zh_int(m.group("n"))
    if n is None:
        return None
    weeks = m.group("unit") in ("周", "个星期", "星期", "个礼拜", "礼拜")
    return today + sign * timedelta(days=n * (7 if weeks else 1))


def _zh_last_month_day(m: re.Match[str], today: date) -> date | None:
    day = _zh_int(m.group("day"))
    last = today.replace(day=1) - timedelta(days=1)
    try:
        return None if day is None else last.replace(day=day)
    except ValueError:
        return None


def _zh_in_months(m: re.Match[str], today: date) -> date | None:
    """N个月后: the same day N months on (the month's last day when it is shorter)."""
    n = _zh_int(m.group("n"))
    if n is None:
        return None
    last = end_of_month(today, n)
    return last.replace(day=min(today.day, last.day))


def _zh_mid_month(m: re.Match[str], today: date) -> date:
    """月中 is the 15th: this month's, or next month's once it has passed (下个月中: next)."""
    ahead = 1 if m.group("next") or today.day > 15 else 0
    return end_of_month(today, ahead).replace(day=15)


_WEEK = "(?:周|星期|礼拜|禮拜)"
ZH_RULES: list[Rule] = [
    (re.compile(rf"(?P<mon>{_ZH_NUM})月份?(?P<day>{_ZH_NUM})[号日號]?"), _zh_month_day, "year"),
    (re.compile(rf"下(?:个|個)?月(?:的)?(?P<day>{_ZH_NUM})[号日號]"), _zh_next_month_day, ""),
    (re.compile(r"下(?:个|個)?月(?:底|末)"), lambda m, t: end_of_month(t, 1), ""),
    (re.compile(r"(?:这个|这|本)?月(?:底|末)"), lambda m, t: end_of_month(t), ""),
    (re.compile(r"(?P<next>下(?:个|個)?)?月中(?!间|心|旬以前)"), _zh_mid_month, ""),
    (re.compile(r"(?:今|这个)?年(?:底|末)"), lambda m, t: date(t.year, 12, 31), ""),
    (re.compile(r"元旦"), lambda m, t: date(t.year + 1, 1, 1), ""),
    (
        re.compile(rf"(?P<n>{_ZH_NUM}|半)个月(?:以后|之后|后|之内|以内|内)"),
        lambda m, t: t + timedelta(days=15) if m.group("n") == "半" else _zh_in_months(m, t),
        "",
    ),
    (re.compile(r"(?<![下这本])月初"), lambda m, t: end_of_month(t) + timedelta(days=1), ""),
    (re.compile(r"大后天|大后儿"), lambda m, t: t + timedelta(days=3), ""),
    (re.compile(r"后天|后儿"), lambda m, t: t + timedelta(days=2), ""),
    (re.compile(r"明天|明儿|明日"), lambda m, t: t + timedelta(days=1), ""),
    (re.compile(r"今天|今儿|今日|今晚"), lambda m, t: t, ""),
    (re.compile(r"大前天"), lambda m, t: t - timedelta(days=3), ""),
    (re.compile(r"前天"), lambda m, t: t - timedelta(days=2), ""),
    (re.compile(r"昨天|昨儿|昨晚"), lambda m, t: t - timedelta(days=1), ""),
    (re.compile(r"过(?:两|俩)天"), lambda m, t: t + timedelta(days=2), ""),
    (re.compile(rf"下(?:个|個)?{_WEEK}末"), lambda m, t: weekday_next_week(t, 5), ""),
    (re.compile(rf"(?:这|本)?(?:个)?{_WEEK}末"), lambda m, t: next_weekday(t, 5), "week"),
    (re.compile(r"下(?:个|個)?月初"), lambda m, t: end_of_month(t) + timedelta(days=1), ""),
    (
        re.compile(rf"下下(?:个|個)?{_WEEK}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]) + timedelta(days=7),
        "",
    ),
    (
        re.compile(rf"下(?:个|個)?{_WEEK}(?:的)?{_WEEK}?(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]),
        "",
    ),
    (
        re.compile(rf"(?:这|本)?(?:个)?{_WEEK}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: next_weekday(t, ZH_WEEKDAYS[m.group("wd")]),
        "week",
    ),
    (
        re.compile(
            rf"(?P<n>{_ZH_NUM})(?:个)?(?P<unit>天|周|个星期|星期|个礼拜|礼拜)"
            r"(?:以后|之后|后|之内|以内|内)"
        ),
        _zh_in_days,
        "",
    ),
    (re.compile(rf"(?P<day>{_ZH_NUM})[号號]|(?<![月\d])(?P<day2>{_ZH_NUM})日"), _zh_day, "month"),
]
# read only where a past date is expected (the already-paid step)
ZH_PAST: list[Rule] = [
    (
        re.compile(rf"上(?:个|個)?{_WEEK}(?P<wd>[一二三四五六日天七])"),
        lambda m, t: weekday_next_week(t, ZH_WEEKDAYS[m.group("wd")]) - timedelta(days=14),
        "",
    ),
    (re.compile(rf"上(?:个|個)?月(?P<day>{_ZH_NUM})[号日號]"), _zh_last_month_day, ""),
    (re.compile(r"上(?:个|個)?月(?:底|末)"), lambda m, t: t.replace(day=1) - timedelta(days=1), ""),
    (
        re.compile(
            rf"(?P<n>{_ZH_NUM})(?:个)?(?P<unit>天|周|个星期|星期|个礼拜|礼拜)(?:以前|之前|前)"
        ),
        lambda m, t: _zh_in_days(m, t, sign=-1),
        "",
    ),
]
