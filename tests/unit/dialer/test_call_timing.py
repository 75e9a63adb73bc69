"""The dialer's timing (``dialer.timing.call_moment``) and the SMS plan's
(``analytics.best_time.retime_sms``): the learned best hour, never outside the campaign's
window or the legal hours, in the debtor's own zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from analytics.best_time import SHAPE, LearnedTimes, best_within, retime_sms
from data.call_timing import TimedCase
from dialer.timing import call_moment
from scoring.campaign import parse_definition
from scoring.compliance import DEFAULT_PROFILES, JurisdictionProfile
from scoring.compliance.profiles import profile_for as _profile_for

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
US = TimedCase("C1", "US", "America/New_York", {})
CN = TimedCase("C2", "CN", "Asia/Shanghai", {})
OPEN = parse_definition({})  # no campaign window: the legal hours only


def profile_for(code: str) -> JurisdictionProfile:
    return _profile_for(code, DEFAULT_PROFILES)


def table(hot: dict[int, float], base: float = 0.2) -> np.ndarray:
    t = np.full(SHAPE, base)
    for hour, p in hot.items():
        t[:, hour] = p
    return t


def local(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone)


def test_a_debtor_who_answers_in_the_evening_is_called_in_the_evening() -> None:
    due = datetime(2026, 12, 7, 9, 0, tzinfo=NY)  # Monday 09:00, the window's opening
    found = call_moment(table({18: 0.7}), US, due.astimezone(UTC), profile_for("US"), OPEN)
    assert found is not None
    at, p = found
    assert at.tzinfo is UTC
    assert local(at, NY) == datetime(2026, 12, 7, 18, 0, tzinfo=NY)  # the same day
    assert p == pytest.approx(0.7)


def test_the_best_hour_outside_the_campaign_window_is_never_taken() -> None:
    due = datetime(2026, 12, 7, 9, 0, tzinfo=NY)
    mornings = parse_definition({"window": {"start": "09:00", "end": "12:00"}})
    t = table({18: 0.9, 11: 0.4})
    found = call_moment(t, US, due.astimezone(UTC), profile_for("US"), mornings)
    assert found is not None
    assert local(found[0], NY).hour == 11
    # best hour after the legal hours (US: 08:00-21:00): the best legal one instead
    late = call_moment(table({22: 0.95, 20: 0.5}), US, due.astimezone(UTC), profile_for("US"), OPEN)
    assert late is not None
    assert local(late[0], NY).hour == 20


def test_a_flat_table_or_the_current_hour_being_best_means_now() -> None:
    now = datetime(2026, 12, 7, 14, 20, tzinfo=NY)
    assert call_moment(table({}), US, now.astimezone(UTC), profile_for("US"), OPEN) is None
    assert call_moment(table({14: 0.8}), US, now.astimezone(UTC), profile_for("US"), OPEN) is None


def test_nothing_allowed_ahead_means_now_and_the_guard_decides() -> None:
    never = parse_definition({"window": {"start": "02:00", "end": "03:00"}})  # outside legal
    now = datetime(2026, 12, 7, 10, 0, tzinfo=NY)
    assert call_moment(table({18: 0.9}), US, now.astimezone(UTC), profile_for("US"), never) is None


def test_waiting_a_day_must_pay_for_itself() -> None:
    """At 19:30 today's best (18:00) is gone; tomorrow's 18:00 must beat what is left today by
    the patience factor (0.9 a day)."""
    now = datetime(2026, 12, 7, 19, 30, tzinfo=NY)
    slightly = table({18: 0.5, 20: 0.46})
    found = call_moment(slightly, US, now.astimezone(UTC), profile_for("US"), OPEN)
    assert found is not None
    assert local(found[0], NY) == datetime(2026, 12, 7, 20, 0, tzinfo=NY)
    much = table({18: 0.9, 20: 0.3})
    found = call_moment(much, US, now.astimezone(UTC), profile_for("US"), OPEN)
    assert found is not None
    assert local(found[0], NY) == datetime(2026, 12, 8, 18, 0, tzinfo=NY)


def test_the_debtors_zone_is_the_clock_of_the_table() -> None:
    """The same UTC instant: 09:00 in Shanghai; the learned 12:00 is Shanghai's noon."""
    due = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    found = call_moment(table({12: 0.8}), CN, due, profile_for("CN"), OPEN)
    assert found is not None
    assert found[0] == datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


def test_learned_times_start_a_new_debtor_from_the_segment() -> None:
    evening = [(datetime(2026, 11, d, 19, 5), True) for d in range(1, 29)]
    evening += [(datetime(2026, 11, d, 10, 5), False) for d in range(1, 29)]
    calls = {f"S{i}": evening for i in range(20)}
    calls["OTHER"] = [(datetime(2026, 11, d, 10, 5), True) for d in range(1, 29)]
    labels = {**{f"S{i}": "S1" for i in range(20)}, "NEW": "S1", "OTHER": "S2"}
    learned = LearnedTimes.learn(calls, labels)
    new = learned.table("NEW")  # no call of its own
    assert new[:, 19].mean() > new[:, 10].mean() + 0.3
    assert learned.own_counts("NEW").n == 0
    assert learned.segment_counts("S1").n == 20 * 56
    other = learned.table("OTHER")
    assert other[:, 10].mean() > other[:, 19].mean()


def test_best_within_one_window_keeps_the_opening_unless_something_is_better() -> None:
    earliest = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # 09:00 New York
    latest = earliest + timedelta(hours=8)
    assert best_within(table({}), earliest, latest, "America/New_York")[0] == earliest
    at, p = best_within(table({15: 0.6, 20: 0.9}), earliest, latest, "America/New_York")
    assert local(at, NY).hour == 15
    assert p == pytest.approx(0.6)


def test_sms_steps_move_calls_and_blocked_rows_do_not() -> None:
    earliest = pd.Timestamp("2026-12-07T14:00:00Z")
    latest = pd.Timestamp("2026-12-07T22:00:00Z")
    plan = pd.DataFrame(
        {
            "case_id": ["A", "B", "C", "D"],
            "channel": ["sms", "call", "sms", "none"],
            "blocked": [False, False, True, True],
            "timezone": ["America/New_York"] * 4,
            "earliest": [earliest, earliest, earliest, pd.NaT],
            "latest": [latest, latest, latest, pd.NaT],
        }
    )
    calls = {k: [(datetime(2026, 11, d, 16, 10), True) for d in range(1, 20)] for k in "ABC"}
    out = retime_sms(plan, LearnedTimes.learn(calls, {}))
    moved = out["earliest"]
    assert pd.Timestamp(moved.iloc[0]).tz_convert("America/New_York").hour == 16
    assert moved.iloc[1] == earliest  # the dialer times calls
    assert moved.iloc[2] == earliest
    assert moved.isna().iloc[3]
    assert plan["earliest"].iloc[0] == earliest  # the input is not changed


def test_every_default_profile_is_respected() -> None:
    """Whatever the table, the chosen moment is inside each jurisdiction's legal hours."""
    rng = np.random.default_rng(3)
    for code in DEFAULT_PROFILES:
        profile = profile_for(code)
        zone = "Asia/Shanghai" if code == "CN" else "America/Chicago"
        case = TimedCase("X", code, zone, {})
        for _ in range(30):
            t = rng.random(SHAPE)
            now = datetime(2026, 12, 7, tzinfo=UTC) + timedelta(minutes=int(rng.integers(0, 10080)))
            found = call_moment(t, case, now, profile, OPEN)
            if found is not None:
                hour = found[0].astimezone(ZoneInfo(zone)).time()
                assert profile.hours_start <= hour < profile.hours_end
