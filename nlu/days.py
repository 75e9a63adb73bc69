"""Calendar arithmetic for spoken dates: the next or previous occurrence of a weekday or a day
of the month, the end of a month. Used by ``nlu.dates``'s rules."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

Resolver = Callable[[re.Match[str], date], date | None]
# what a rule's date repeats with: a bare weekday every week, "the 15th" every month, a month
# and day every year; read as a past date ("I paid on Tuesday") it is the previous occurrence
Kind = str  # "week" | "month" | "year" | "" (a fixed offset: tomorrow, 月底, in two weeks)
Rule = tuple[re.Pattern[str], Resolver, Kind]


@dataclass(frozen=True, slots=True)
class FoundDate:
    start: int
    end: int
    value: date
    text: str
    kind: Kind = ""


def next_weekday(today: date, weekday: int) -> date:
    """The next ``weekday`` (0 = Monday) strictly after ``today``."""
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=ahead)


def weekday_next_week(today: date, weekday: int) -> date:
    """``weekday`` in the Monday-to-Sunday week after the current one."""
    next_monday = today + timedelta(days=7 - today.weekday())
    return next_monday + timedelta(days=weekday)


def next_day_of_month(today: date, day: int) -> date | None:
    """The next date strictly after ``today`` whose day of the month is ``day``."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate > today:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def month_day(today: date, month: int, day: int) -> date | None:
    """``month``/``day`` this year, or next year when it is already past."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def end_of_month(today: date, months_ahead: int = 0) -> date:
    year, month = today.year, today.month + months_ahead
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_occurrence(value: date, kind: Kind, today: date) -> date | None:
    """The occurrence of a repeating date before ``value`` (None for a fixed offset)."""
    if kind == "week":
        return value - timedelta(days=7)
    if kind == "month":
        month_before = value.replace(day=1) - timedelta(days=1)
        for _ in range(3):  # skip months too short for the day (the 31st)
            if value.day <= calendar.monthrange(month_before.year, month_before.month)[1]:
                return month_before.replace(day=value.day)
            month_before = month_before.replace(day=1) - timedelta(days=1)
        return None
    if kind == "year":
        try:
            return value.replace(year=value.year - 1)
        except ValueError:
            return None
    return None


def last_weekday(today: date, weekday: int, *, skip_yesterday: bool = True) -> date:
    """ "last tuesday": the latest such day before today, a week earlier if that is yesterday
    (one would have said "yesterday"); "this past tuesday" (``skip_yesterday=False``) is the
    latest one before today."""
    back = (today.weekday() - weekday - 1) % 7 + 1
    return today - timedelta(days=back + (7 if back == 1 and skip_yesterday else 0))
