"""The time of day a caller names for a call back (integrator, session 10): before, every call
back was booked at the case's usual hour (18:00), whatever was said ("call me tomorrow at ten")."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.dialogue import CallAnswered, Lang, ScheduleCallback, UtteranceHeard
from nlu.hours import hour_said
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("text", "lang", "at"),
    [
        ("call me tomorrow at ten", "en", time(10)),
        ("after 6pm please", "en", time(18)),
        ("try me around four thirty", "en", time(16, 30)),
        ("at 3:30 p.m.", "en", time(15, 30)),
        ("ring me at 9 in the morning", "en", time(9)),
        ("at eight tonight", "en", time(20)),
        ("half past two", "en", time(14, 30)),
        ("this afternoon", "en", time(15)),
        ("after work", "en", time(18)),
        ("at noon", "en", time(12)),
        ("下午三点以后", "zh", time(15)),
        ("晚上八点半", "zh", time(20, 30)),
        ("上午十点左右", "zh", time(10)),
        ("两点以后再打", "zh", time(14)),
        ("中午一点", "zh", time(13)),
        ("9点", "zh", time(9)),
        ("你晚上再打吧", "zh", time(19)),
        ("下班以后", "zh", time(18)),
    ],
)
def test_the_hour_said(text: str, lang: str, at: time) -> None:
    assert hour_said(text, lang) == at


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I can pay two fifty on friday", "en"),
        ("on the 5th", "en"),
        ("can you call me back later", "en"),
        ("three hundred at the end of the month", "en"),
        ("I can do 200 in 3 days", "en"),
        ("晚一点打", "zh"),
        ("一点钱都没有", "zh"),
        ("我三号还两千", "zh"),
    ],
)
def test_no_hour_in_money_days_or_later(text: str, lang: str) -> None:
    assert hour_said(text, lang) is None


def _callback(lang: Lang, line: str, answered: datetime) -> datetime | None:
    facts = dataclasses.replace(demo_case(lang), verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(answered))
    commands = []
    for said in ("yes" if lang == "en" else "是我", line):
        heard = default_parser().parse(said, lang, TODAY).heard_with(0.9)
        state, out = decide(state, UtteranceHeard(said, lang, heard))
        commands += out
    (callback,) = [c for c in commands if isinstance(c, ScheduleCallback)]
    return callback.at


@pytest.mark.parametrize(
    ("lang", "line", "answered_local", "want"),
    [
        ("en", "I'm at work, call me tomorrow at ten", time(14), datetime(2026, 12, 1, 10)),
        ("en", "can't talk now, call me back after six", time(14), datetime(2026, 11, 30, 18)),
        ("en", "I'm busy, call me at ten", time(14), datetime(2026, 12, 1, 10)),
        ("zh", "我在开会 你下午三点以后再打过来吧", time(10), datetime(2026, 11, 30, 15)),
        ("zh", "现在不方便 明天上午十点再打", time(10), datetime(2026, 12, 1, 10)),
        ("zh", "在忙 晚上八点半再打吧", time(21), datetime(2026, 12, 1, 20, 30)),
    ],
)
def test_a_call_back_is_booked_at_the_hour_said(
    lang: Lang, line: str, answered_local: time, want: datetime
) -> None:
    zone = ZoneInfo(demo_case(lang).timezone)
    answered = datetime.combine(TODAY, answered_local, zone).astimezone(UTC)
    at = _callback(lang, line, answered)
    assert at is not None
    assert at.astimezone(zone).replace(tzinfo=None) == want
