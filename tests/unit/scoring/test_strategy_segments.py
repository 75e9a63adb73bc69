"""Strategy rules on the analytics: a behaviour segment and the early-warning list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from scoring.strategy import PlanCase, load_strategy, plan, to_frame
from scoring.strategy.model import Condition, Rule, Strategy

STRATEGY = load_strategy()
NOW = datetime(2026, 6, 10, 17, 0, tzinfo=UTC)


def case(**kw: object) -> PlanCase:
    base: dict[str, object] = {
        "case_id": "L1", "jurisdiction": "US", "timezone": "America/Chicago", "tier": "low",
        "dpd": 10, "product": "personal", "balance_minor": 100_000, "currency": "USD",
    }  # fmt: skip
    return PlanCase(**(base | kw))  # type: ignore[arg-type]


def strategy() -> Strategy:
    rules = (
        Rule(Condition(segments=("S3", "S4")), "escalation"),
        Rule(Condition(early_warning=True), "agent_negotiation"),
        *STRATEGY.champion,
    )
    return replace(STRATEGY, champion=rules, challenger_share=Decimal(0))


@pytest.mark.parametrize(
    ("kw", "treatment"),
    [
        ({}, "gentle_reminder"),
        ({"segment": "S1"}, "gentle_reminder"),
        ({"segment": "S4"}, "escalation"),
        ({"segment": "S1", "early_warning": True}, "agent_negotiation"),
        ({"segment": "S3", "early_warning": True}, "escalation"),
    ],
)
def test_segment_and_warning_conditions(kw: dict[str, object], treatment: str) -> None:
    out = plan(to_frame([case(**kw)]), strategy(), NOW)
    assert out.loc[0, "treatment"] == treatment


def test_a_frame_without_the_columns_matches_no_segment_rule() -> None:
    frame = to_frame([case(segment="S4")]).drop(columns=["segment", "early_warning"])
    out = plan(frame, strategy(), NOW)
    assert out.loc[0, "treatment"] == "gentle_reminder"


def test_the_loader_reads_the_new_conditions() -> None:
    from scoring.strategy.loader import _condition, _When

    c = _condition(_When(segments=["S2"], early_warning=False))
    assert c.segments == ("S2",)
    assert c.early_warning is False
