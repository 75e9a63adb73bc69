"""When reports are due; a missed run is caught up once."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.schedule import due, latest

SUN = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)  # a Sunday


def test_daily_covers_yesterday_and_runs_once() -> None:
    run = due("daily", None, SUN, hour=6)
    assert run is not None
    assert run.scheduled == datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    assert (run.start, run.end) == (
        datetime(2026, 12, 5, tzinfo=UTC),
        datetime(2026, 12, 6, tzinfo=UTC),
    )
    assert due("daily", run.scheduled, SUN, hour=6) is None
    early = datetime(2026, 12, 6, 5, 59, tzinfo=UTC)
    assert latest("daily", early, 6, 0) == datetime(2026, 12, 5, 6, 0, tzinfo=UTC)


def test_missed_runs_are_caught_up_once() -> None:
    last = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # the worker was down for five days
    run = due("daily", last, SUN, hour=6)
    assert run is not None
    assert run.label == "daily-2026-12-05"  # only the latest missed one
    assert due("daily", run.scheduled, SUN, hour=6) is None


def test_weekly_on_its_weekday() -> None:
    run = due("weekly", None, SUN, hour=6, weekday=0)
    assert run is not None
    assert run.scheduled == datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Monday
    assert run.start == datetime(2026, 11, 23, tzinfo=UTC)
    assert run.end == datetime(2026, 11, 30, tzinfo=UTC)
    friday = due("weekly", None, SUN, hour=6, weekday=4)
    assert friday is not None
    assert friday.scheduled == datetime(2026, 12, 4, 6, 0, tzinfo=UTC)
