"""Early warning on crafted cases: rolls at a bucket edge, promises about to break."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from analytics.early_warning import (
    FACTORS,
    next_edge,
    promise_warnings,
    roll_warning,
    warnings,
)
from analytics.mining import Utterance, mine
from scoring.model.records import CaseRecord, PaymentRecord, PromiseRecord

AS_OF = date(2026, 12, 1)
CUT = datetime(2026, 12, 1, tzinfo=UTC)


def record(dpd: int, **kw: object) -> CaseRecord:
    return CaseRecord(
        "c1", "personal", "USD", 100_000, 50_000, dpd, AS_OF, None, "US", "UTC",
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(("dpd", "edge"), [(0, 30), (30, 30), (31, 60), (180, 180), (181, None)])
def test_edges(dpd: int, edge: int | None) -> None:
    assert next_edge(dpd) == edge


def test_roll_only_when_the_edge_is_inside_the_window() -> None:
    near = roll_warning(record(27), pay_30d=0.3)
    assert near is not None
    assert near.due == AS_OF + timedelta(days=4)
    assert "crosses 30 days past due in 4 day(s)" in near.reasons
    assert roll_warning(record(20), pay_30d=0.3) is None  # 11 days away
    assert roll_warning(record(200), pay_30d=0.3) is None  # no bucket after 180
    likely_payer = roll_warning(record(27), pay_30d=0.9)
    assert likely_payer is not None
    assert likely_payer.probability < near.probability
    certain = roll_warning(record(27), pay_30d=0.0)
    assert certain is not None
    assert certain.probability < 1.0  # no model is certain


def promises(*statuses: str, due: date = AS_OF + timedelta(days=3)) -> tuple[PromiseRecord, ...]:
    at = CUT - timedelta(days=20)
    return tuple(PromiseRecord(1000, due if s == "pending" else at.date(), s, at) for s in statuses)


def test_promise_break_follows_the_record_and_the_words() -> None:
    reliable = record(10, promises=promises("kept", "kept", "kept", "pending"))
    unreliable = record(10, promises=promises("broken", "broken", "broken", "pending"))
    (a,) = promise_warnings(reliable, None, 0.4)
    (b,) = promise_warnings(unreliable, None, 0.4)
    assert a.probability < 0.4 < b.probability
    words = mine("c1", [Utterance(CUT - timedelta(days=2), "Maybe I can try to pay Friday.", "en")])
    (c,) = promise_warnings(reliable, words, 0.4)
    assert c.probability > a.probability
    assert any("hedged" in r and "Maybe" in r for r in c.reasons)
    paid = record(
        10,
        promises=promises("kept", "pending"),
        payments=(PaymentRecord(500, CUT - timedelta(days=3)),),
    )
    (d,) = promise_warnings(paid, None, 0.4)
    assert any(f"x{FACTORS['paid_recently']}" in r for r in d.reasons)


def test_no_pending_promise_in_the_window_no_warning() -> None:
    later = record(10, promises=promises("pending", due=AS_OF + timedelta(days=20)))
    assert promise_warnings(later, None, 0.5) == []


def test_the_list_is_sorted_and_thresholded() -> None:
    cases = [
        record(24),  # a week from the edge, a likely payer: 40 % chance to roll
        CaseRecord("c2", "personal", "USD", 1, 1, 29, AS_OF, None, "US", "UTC"),
        CaseRecord("c3", "personal", "USD", 1, 1, 5, AS_OF, None, "US", "UTC"),
    ]
    found = warnings(cases, {"c1": 0.98, "c2": 0.05}, {}, threshold=0.5)
    assert [w.case_id for w in found] == ["c2"]
    everything = warnings(cases, {"c1": 0.98, "c2": 0.05}, {}, threshold=0.0)
    assert [w.case_id for w in everything] == ["c2", "c1"]
