"""Mandarin festival and lunar days (``nlu.festivals_zh``): the fixed table against dates known
from the calendar, each rule on lines of its own (not the held-out sets'), "after" a festival
naming no day, and the words that look like a festival and are none. The held-out lines are
``data/zh_unseen_session9_festivals.yml`` and ``data/zh_unseen_session9_autumn.yml``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_nlu_unseen_zh_round2 import assert_copies_nothing, assert_reads_as_meant

from nlu.dates import find_dates
from nlu.festivals_zh import spring_festival
from simulation.spoken.corpus import Utterance, load_corpus

_DATA = Path(__file__).parent / "data"
DECEMBER = load_corpus(_DATA / "zh_unseen_session9_festivals.yml")
AUTUMN = load_corpus(_DATA / "zh_unseen_session9_autumn.yml")
# read otherwise (docs/nlu.md, "Session 9, zh6"): 年底了 in a hardship line ("it's the end of
# the year") names the year's end as a day
KNOWN_MISSES: frozenset[str] = frozenset({"年底了 手上一分钱都没有"})


def test_the_spring_festival_table_matches_the_calendar() -> None:
    # published dates (the 2033 festival is the one the "2033 problem" moved: 31 January)
    assert spring_festival(2027) == date(2027, 2, 6)
    assert spring_festival(2028) == date(2028, 1, 26)
    assert spring_festival(2033) == date(2033, 1, 31)
    assert spring_festival(2036) == date(2036, 1, 28)
    assert spring_festival(2037) is None  # outside the table: no day, the policy asks
    assert all(date(y, 1, 20) <= (spring_festival(y) or date(y, 3, 1)) <= date(y, 2, 20)
               for y in range(2026, 2037))  # fmt: skip


def _day(text: str, today: date) -> date | None:
    found = find_dates(text, "zh", today)
    return found[0].value if found else None


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("春节前把钱还上", date(2027, 12, 1), date(2028, 1, 25)),  # the new year's: 除夕
        ("过年之前还", date(2028, 1, 3), date(2028, 1, 25)),
        ("年前还", date(2027, 2, 10), date(2028, 1, 25)),  # the festival gone: next year's
        ("除夕还", date(2029, 1, 2), date(2029, 2, 12)),
        ("大年初二还你", date(2030, 1, 10), date(2030, 2, 4)),
        ("正月初十以前还", date(2031, 1, 1), date(2031, 2, 1)),
        ("元宵节还", date(2032, 1, 20), date(2032, 2, 25)),
        ("腊月二十三还", date(2029, 12, 20), date(2030, 1, 26)),  # 腊月初一 2030-01-04
        ("腊月三十还", date(2027, 12, 1), date(2028, 1, 25)),  # a 29-day 腊月: the eve
        ("农历腊月廿八还", date(2034, 12, 20), date(2035, 2, 5)),
        ("中秋节还", date(2028, 8, 1), date(2028, 10, 3)),
        ("端午前还", date(2029, 5, 1), date(2029, 6, 16)),  # before a day: that day
        ("清明还", date(2028, 3, 1), date(2028, 4, 4)),
        ("国庆假期前还", date(2030, 9, 1), date(2030, 10, 1)),
        ("元旦前还", date(2029, 12, 1), date(2030, 1, 1)),
        ("除夕之前还", date(2029, 12, 1), date(2030, 2, 2)),
        ("元旦前后还", date(2029, 12, 1), date(2030, 1, 1)),
        ("春节前后", date(2035, 12, 1), date(2036, 1, 28)),
        ("正月十六号还", date(2028, 1, 2), date(2028, 2, 10)),  # 号 after a lunar day
        ("大年三十还", date(2026, 12, 2), date(2027, 2, 5)),
    ],
)
def test_a_festival_or_lunar_day_resolves(text: str, today: date, expected: date) -> None:
    assert _day(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "过完年再说", "年后还", "春节以后还", "国庆节之后还", "中秋过后还", "元旦以后再还",  # after
        "过年回家了", "两年前借的", "去年前后", "孩子上初三", "十一块钱", "十一点给你打",
        "三年前的事", "今年十五岁", "清明节后", "年初一次性还清", "年初二月份还", "年三十万块",
        "明年初一定还",
    ],
)  # fmt: skip
def test_no_festival_day_where_none_is_named(text: str) -> None:
    assert _day(text, date(2026, 12, 2)) is None


def test_a_festival_beyond_the_table_names_no_day() -> None:
    assert _day("春节前还", date(2036, 3, 1)) is None


def test_the_held_out_files_are_large_and_copy_nothing() -> None:
    assert len(DECEMBER.utterances) + len(AUTUMN.utterances) >= 40
    held_out = (_DATA / "zh_unseen_session9_festivals.yml", _DATA / "zh_unseen_session9_autumn.yml")
    for corpus in (DECEMBER, AUTUMN):
        assert_copies_nothing(corpus, *held_out, Path(__file__))


@pytest.mark.parametrize(
    ("u", "today"),
    [
        pytest.param(u, c.today, marks=[pytest.mark.xfail(strict=True)] * (u.text in KNOWN_MISSES))
        for c in (DECEMBER, AUTUMN)
        for u in c.utterances
    ],
)
def test_every_held_out_line_reads_as_meant(u: Utterance, today: date) -> None:
    assert_reads_as_meant(u, today)
