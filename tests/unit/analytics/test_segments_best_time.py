"""Segments and best time on crafted behaviour and attempts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from analytics.best_time import (
    Counts,
    Shrinkage,
    best_moment,
    debtor_table,
    portfolio_rate,
    ranked_slots,
    segment_table,
)
from analytics.segments import FEATURES, Behaviour, behaviour_of, segment
from analytics.simulated_eval import best_time_lift, simulated_portfolio, true_rpc
from scoring.model.records import AttemptRecord, CaseRecord, PaymentRecord, PromiseRecord

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


def crafted(n: int, centre: dict[str, float], paid: int, seed: int, tag: str) -> list[Behaviour]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        values = {f: centre.get(f, 0.0) + float(rng.normal(0, 0.05)) for f in FEATURES}
        hits = {"call": (paid, 10), "sms": (0, 10)} if paid else {"call": (0, 10), "sms": (3, 10)}
        out.append(Behaviour(f"{tag}{i}", values, paid * 100, 1000, hits))
    return out


GROUPS = [
    ({"answer_rate": 0.9, "share_paid_180d": 0.6, "promise_kept_rate": 0.9}, 5),
    ({"answer_rate": 0.1, "log_dpd": 5.0}, 0),
    ({"hostile_share": 1.0, "willingness": -1.0, "answer_rate": 0.5}, 0),
]


def test_three_clear_groups_are_found_named_and_ordered() -> None:
    people = [b for i, (c, paid) in enumerate(GROUPS) for b in crafted(60, c, paid, i, f"g{i}_")]
    result = segment(people, seed=1)
    assert result.k == 3
    assert result.stability_ari == pytest.approx(1.0)
    top = result.segments[0]
    assert top.id == "S1"
    assert top.recovery_rate > result.segments[1].recovery_rate
    assert {result.labels[f"g0_{i}"] for i in range(60)} == {"S1"}
    assert "answers calls" in top.name
    assert top.best_channel == "call"
    names = " | ".join(s.name for s in result.segments)
    assert "hostile on calls" in names
    assert "hard to reach" in names
    assert result.segments[1].best_channel == "sms"
    assert result == segment(people, seed=1)


def test_too_few_cases_to_segment() -> None:
    with pytest.raises(ValueError, match="too few"):
        segment(crafted(2, {}, 0, 0, "x"), seed=0, ks=(2, 3))


def test_behaviour_from_a_record() -> None:
    at = MONDAY - timedelta(days=20)
    record = CaseRecord(
        "c1", "personal", "USD", 100_000, 50_000, 45, date(2026, 12, 1), None, "US", "UTC",
        payments=(PaymentRecord(10_000, at + timedelta(days=2)),),
        promises=(PromiseRecord(10_000, at.date(), "kept", at),
                  PromiseRecord(5_000, at.date(), "broken", at)),
        attempts=(AttemptRecord("call", at, True, True, "promise"),
                  AttemptRecord("call", at - timedelta(days=10), False, False, "no_answer"),
                  AttemptRecord("sms", at - timedelta(days=30), False, False)),
    )  # fmt: skip
    b = behaviour_of(record)
    assert b.values["answer_rate"] == 0.5
    assert b.values["promise_kept_rate"] == pytest.approx(1.5 / 3)
    assert b.channel_hits == {"call": (1, 2), "sms": (0, 1)}
    assert b.paid_minor == 10_000


def attempts(hours: dict[int, tuple[int, int]], weeks: int = 4) -> Counts:
    """hour -> (right-party answers, tries) per week, on Mondays."""
    out = []
    for w in range(weeks):
        day = MONDAY + timedelta(weeks=w)
        for hour, (hit, tries) in hours.items():
            out += [(day.replace(hour=hour), i < hit) for i in range(tries)]
    return Counts.of(out)


def test_shrinkage_moves_with_evidence() -> None:
    seg = attempts({10: (1, 4), 19: (1, 4)}, weeks=10)
    prior = segment_table(seg, portfolio_rate(seg))
    assert prior[0, 10] == pytest.approx(prior[0, 19], abs=0.02)
    new = debtor_table(Counts.of(()), prior)
    np.testing.assert_allclose(new, prior)  # a new debtor gets the segment's table
    evening = debtor_table(attempts({10: (0, 1), 19: (1, 1)}, weeks=6), prior)
    assert evening[0, 19] > prior[0, 19] > evening[0, 10]
    assert 0 < evening[0, 10] < 0.25  # shrunk, not the raw 0 %
    strong = debtor_table(
        attempts({10: (0, 1), 19: (1, 1)}, weeks=6), prior, Shrinkage(debtor_strength=100)
    )
    assert abs(strong[0, 19] - prior[0, 19]) < abs(evening[0, 19] - prior[0, 19])
    assert ranked_slots(evening, 1)[0][1] == 19


def test_best_moment_respects_the_windows_and_patience() -> None:
    table = np.full((7, 24), 0.2)
    table[:, 18] = 0.5
    table[1, 11] = 0.9  # Tuesday 11:00
    now = datetime(2026, 11, 30, 9, 30)  # a Monday, local

    def daytime(t: datetime) -> bool:
        return 9 <= t.hour < 17

    moment, p = best_moment(table, now, daytime) or (None, 0.0)
    assert moment == datetime(2026, 12, 1, 11, 0)
    assert p == 0.9
    moment, _ = best_moment(table, now, lambda t: daytime(t) and t.weekday() == 0) or (None, 0.0)
    assert moment == now  # only today allowed; all hours equal: the earliest, now
    assert best_moment(table, now, lambda t: False) is None
    impatient = best_moment(table, now, lambda t: 9 <= t.hour < 19, patience=0.1)
    assert impatient is not None
    assert impatient[0] == datetime(2026, 11, 30, 18, 0)


def test_learned_times_beat_the_current_plan_on_the_simulated_portfolio() -> None:
    sims = simulated_portfolio(300, 4, date(2026, 12, 1))
    lift = best_time_lift(sims, {})
    assert lift.rpc_learned > lift.rpc_current_plan
    assert lift.rpc_oracle >= lift.rpc_learned
    assert true_rpc(sims[0].profile, 3) <= 0.95
