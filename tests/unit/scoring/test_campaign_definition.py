"""The campaign definition (``scoring.campaign``): parsed once, every field typed and bounded,
states and transitions, and the hours a campaign may call (its window ∩ the legal hours)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scoring.campaign import (
    CallingWindow,
    CampaignAction,
    CampaignDefinition,
    CampaignState,
    Pacing,
    callable_at,
    next_callable,
    parse_definition,
    transition,
)
from scoring.compliance import Debtor
from scoring.compliance.profiles import DEFAULT_PROFILES
from scoring.errors import CampaignError, TransitionRefused

US = DEFAULT_PROFILES["US"]  # legal hours 08:00-21:00 local
NY = Debtor.of("US", "America/New_York")


def test_an_empty_definition_has_the_documented_defaults() -> None:
    d = parse_definition({})
    assert d == CampaignDefinition()
    assert (d.pacing, d.max_lines, d.ring_seconds, d.abandon_limit) == (Pacing.BOT, 10, 25, 0.03)
    assert (d.window, d.language, d.script, d.strategy_id) == (None, None, "collection", None)
    assert d.agents_take_transfers
    assert not d.retries
    assert d.filter.status == ("open",)


def test_a_full_definition_round_trips_through_its_json() -> None:
    raw: dict[str, Any] = {
        "filter": {"languages": ["zh"], "jurisdictions": ["CN"], "dpd_min": 5, "dpd_max": 90,
                   "case_ids": ["L1", "L2"], "status": ["open", "promised"]},
        "pacing": "predictive", "max_lines": 40, "window": {"start": "10:00", "end": "18:30"},
        "retries": {"no_answer": {"after_minutes": 90, "max_attempts": 2},
                    "busy": {"after_minutes": 15, "max_attempts": 0}},
        "ring_seconds": 40, "abandon_limit": 0.02, "language": "zh", "script": "collection",
        "strategy_id": "stg_1", "agents_take_transfers": False,
    }  # fmt: skip
    d = parse_definition(raw)
    assert d.window == CallingWindow(time(10), time(18, 30))
    assert d.retries["no_answer"].after == timedelta(minutes=90)
    assert d.retries["busy"].max_attempts == 0
    assert d.call_language("en") == "zh"
    assert parse_definition(d.as_json()) == d


def test_definitions_stored_before_the_schema_still_parse() -> None:
    d = parse_definition({"filter": {"jurisdiction": "US", "language": "en", "min_dpd": 3}})
    assert d.filter.jurisdictions == ("US",)
    assert d.filter.languages == ("en",)
    assert d.filter.dpd_min == 3
    assert d.call_language("zh") == "zh"  # no campaign language: the debtor's own


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ({"colour": "red"}, "unknown campaign field"),
        ({"ring_seconds": 5}, "ring_seconds"),
        ({"ring_seconds": 121}, "ring_seconds"),
        ({"ring_seconds": True}, "ring_seconds"),
        ({"abandon_limit": 0.5}, "abandon_limit"),
        ({"max_lines": 0}, "max_lines"),
        ({"pacing": "turbo"}, "pacing"),
        ({"window": {"start": "20:00", "end": "09:00"}}, "start must be before end"),
        ({"window": {"start": "09:00+02:00", "end": "18:00"}}, "local time"),
        ({"window": {"start": "nine", "end": "18:00"}}, "window.start"),
        ({"retries": {"hung_up": {"after_minutes": 5, "max_attempts": 1}}}, "no rule for hung_up"),
        ({"retries": {"busy": {"max_attempts": 1}}}, "retries.busy.after_minutes"),
        ({"retries": {"busy": {"after_minutes": 0, "max_attempts": 1}}}, "retries.busy."),
        ({"language": "english"}, "language"),
        ({"script": "../etc"}, "script"),
        ({"agents_take_transfers": "yes"}, "agents_take_transfers"),
        ({"filter": {"dpd_min": 10, "dpd_max": 5}}, "dpd_min is above dpd_max"),
        ({"filter": {"languages": ["EN"]}}, "filter.languages"),
        ({"filter": {"shoe_size": 9}}, "filter: unknown"),
    ],
)
def test_an_invalid_definition_is_refused_naming_the_field(raw: dict[str, Any], names: str) -> None:
    with pytest.raises(CampaignError, match=names.replace(".", r"\.")):
        parse_definition(raw)


def test_transitions_and_their_refusals() -> None:
    assert transition("draft", "start") is CampaignState.RUNNING
    assert transition(CampaignState.PAUSED, CampaignAction.RESUME) is CampaignState.RUNNING
    with pytest.raises(
        TransitionRefused, match=r"cannot pause a campaign that is draft \(allowed: start\)"
    ):
        transition("draft", "pause")
    with pytest.raises(TransitionRefused, match="it is final"):
        transition("finished", "resume")
    with pytest.raises(TransitionRefused, match="not a campaign action"):
        transition("running", "explode")


def _at(hour: int, minute: int = 0, tz: str = "America/New_York") -> datetime:
    return datetime(2026, 12, 2, hour, minute, tzinfo=ZoneInfo(tz))


@pytest.mark.parametrize(
    ("window", "local", "allowed"),
    [
        (None, (8, 0), True),  # no window: the legal hours 08-21
        (None, (21, 0), False),
        (CallingWindow(time(10), time(18)), (9, 59), False),  # legal, outside the window
        (CallingWindow(time(10), time(18)), (10, 0), True),
        (CallingWindow(time(10), time(18)), (18, 0), False),  # the end is exclusive
        (CallingWindow(time(7), time(23)), (7, 30), False),  # the window, not legal: refused
        (CallingWindow(time(7), time(23)), (21, 30), False),
    ],
)
def test_a_campaign_calls_inside_its_window_and_the_legal_hours_only(
    window: CallingWindow | None, local: tuple[int, int], allowed: bool
) -> None:
    assert callable_at(_at(*local), NY, US, window) is allowed


def test_the_next_callable_moment_is_the_later_opening_of_both() -> None:
    window = CallingWindow(time(10, 15), time(18))
    assert next_callable(_at(7), NY, US, window) == _at(10, 15)  # same day, window opens later
    assert next_callable(_at(19), NY, US, window) == _at(10, 15) + timedelta(days=1)
    wide = CallingWindow(time(6), time(23))
    assert next_callable(_at(6, 30), NY, US, wide) == _at(8)  # the legal hours open later
    assert next_callable(_at(12), NY, US, window) == _at(12)  # already inside
    late = CallingWindow(time(21, 30), time(23))  # never inside the legal hours
    assert next_callable(_at(12), NY, US, late) is None


def test_a_debtor_in_two_zones_is_called_when_both_are_inside() -> None:
    both = Debtor.of("US", "America/New_York", extra_timezones=("America/Los_Angeles",))
    window = CallingWindow(time(9), time(17))
    start = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)  # 08:00 NY, 05:00 LA
    at = next_callable(start, both, US, window)
    assert at == datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("America/Los_Angeles"))  # 12:00 NY
    assert at is not None
    assert callable_at(at, both, US, window)
