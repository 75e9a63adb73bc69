"""Date rules of docs/nlu.md, table-driven, both languages."""

from __future__ import annotations

from datetime import date

import pytest

from core.dialogue import DateEntity
from nlu.entities import extract_entities

SUN = date(2026, 11, 29)  # a Sunday
WED = date(2026, 12, 2)  # a Wednesday
FRI = date(2026, 12, 4)  # a Friday


def _date(text: str, lang: str, today: date) -> date | None:
    found = [e.value for e in extract_entities(text, lang, today) if isinstance(e, DateEntity)]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("text", "lang", "today", "expected"),
    [
        ("today", "en", WED, WED),
        ("今天", "zh", WED, WED),
        ("tomorrow", "en", WED, date(2026, 12, 3)),
        ("明天", "zh", WED, date(2026, 12, 3)),
        ("后天", "zh", WED, date(2026, 12, 4)),
        ("the day after tomorrow", "en", WED, date(2026, 12, 4)),
        # a bare weekday is its next occurrence strictly after today
        ("on friday", "en", WED, FRI),
        ("friday", "en", FRI, date(2026, 12, 11)),
        ("周五", "zh", WED, FRI),
        ("礼拜五", "zh", FRI, date(2026, 12, 11)),
        ("星期一", "zh", SUN, date(2026, 11, 30)),
        # 下周X / next X: weekday X of the next Monday-to-Sunday week
        ("下周五", "zh", WED, date(2026, 12, 11)),
        ("下周五", "zh", SUN, FRI),
        ("next friday", "en", WED, date(2026, 12, 11)),
        ("下礼拜一", "zh", FRI, date(2026, 12, 7)),
        # day of the month: the next such day after today
        ("the fifteenth", "en", WED, date(2026, 12, 15)),
        ("the 15th", "en", date(2026, 12, 15), date(2027, 1, 15)),
        ("15号", "zh", WED, date(2026, 12, 15)),
        ("十五号", "zh", date(2026, 12, 20), date(2027, 1, 15)),
        ("the 31st", "en", date(2027, 1, 31), date(2027, 3, 31)),
        # month and day: this year, or next year when past
        ("december tenth", "en", SUN, date(2026, 12, 10)),
        ("12月10号", "zh", SUN, date(2026, 12, 10)),
        ("january 5th", "en", WED, date(2027, 1, 5)),
        ("1月5号", "zh", WED, date(2027, 1, 5)),
        ("10th of december", "en", SUN, date(2026, 12, 10)),
        # end of the month
        ("end of the month", "en", WED, date(2026, 12, 31)),
        ("月底", "zh", SUN, date(2026, 11, 30)),
        ("下个月底", "zh", SUN, date(2026, 12, 31)),
        # relative spans
        ("in two weeks", "en", SUN, date(2026, 12, 13)),
        ("三天后", "zh", SUN, date(2026, 12, 2)),
    ],
)
def test_date_rules(text: str, lang: str, today: date, expected: date) -> None:
    assert _date(text, lang, today) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("july fourth", "en"),  # more than 90 days ahead: dropped, the policy asks again
        ("7月1号", "zh"),
        ("yesterday", "en"),  # past: never a promise date
        ("昨天", "zh"),
        ("i have two kids", "en"),
        ("星期几都行", "zh"),
    ],
)
def test_dates_outside_the_window_or_absent_are_dropped(text: str, lang: str) -> None:
    assert _date(text, lang, SUN) is None


def test_window_is_inclusive_of_today_plus_90() -> None:
    today = date(2026, 1, 1)
    assert _date("april 1st", "en", today) == date(2026, 4, 1)  # +90
    assert _date("april 2nd", "en", today) is None  # +91
