"""The repayment model on simulated collections data, checked against the hidden ground truth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from scoring.errors import ModelError
from scoring.model.features import FEATURES, case_features
from scoring.model.metrics import auc
from scoring.model.records import CaseRecord, PaymentRecord
from scoring.model.repayment import TierCutoffs, loads, score, train
from scoring.strategy import Tier
from scoring.synthetic.history import SimulatedCase, simulate
from scoring.synthetic.portfolio import generate

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def simulated() -> list[SimulatedCase]:
    return [simulate(c, seed=11) for c in generate(3000, seed=5, as_of=AS_OF)]


def test_simulation_is_deterministic_and_driven_by_the_profiles(
    simulated: list[SimulatedCase],
) -> None:
    again = [simulate(c, seed=11) for c in generate(50, seed=5, as_of=AS_OF)]
    assert [s.record for s in again] == [s.record for s in simulated[:50]]
    rate = {
        persona: np.mean([s.outcome.paid for s in simulated if s.profile.persona == persona])
        for persona in ("cooperative", "avoider", "wrong_number")
    }
    assert rate["cooperative"] > rate["avoider"] > rate["wrong_number"]
    cut = datetime(2026, 6, 1, tzinfo=UTC)
    for s in simulated[:200]:
        assert all(p.paid_at < cut for p in s.record.payments)
        assert all(a.started_at < cut for a in s.record.attempts)
        assert 0 <= s.outcome.amount_minor <= s.record.outstanding_minor
        wrong = s.profile.wrong_number
        assert not (wrong and any(a.conversation for a in s.record.attempts))


def test_features_ignore_anything_after_as_of() -> None:
    base = CaseRecord(
        "L1", "personal", "USD", 100_000, 80_000, 45, AS_OF, date(2025, 1, 1), "US", "UTC"
    )
    before = PaymentRecord(5_000, datetime(2026, 5, 20, tzinfo=UTC))
    after = PaymentRecord(5_000, datetime(2026, 6, 2, tzinfo=UTC))
    f1 = case_features(
        CaseRecord(**{**_fields(base), "payments": (before,)})  # type: ignore[arg-type]
    )
    f2 = case_features(
        CaseRecord(**{**_fields(base), "payments": (before, after)})  # type: ignore[arg-type]
    )
    assert f1 == f2
    assert f1["payments_30d"] == 1.0
    assert f1["days_since_payment"] == 12
    assert f1["dpd_bucket"] == "31-60"
    assert f1["balance_ratio"] == 0.8
    assert set(f1) == set(FEATURES)


def _fields(c: CaseRecord) -> dict[str, object]:
    return {name: getattr(c, name) for name in c.__slots__}


def test_model_learns_calibrates_and_explains(simulated: list[SimulatedCase]) -> None:
    train_set, test_set = simulated[:2400], simulated[2400:]
    model = train([s.record for s in train_set], [s.outcome for s in train_set], seed=1)
    assert model.metrics.auc > 0.75
    assert model.metrics.table[0].observed_rate > 2 * model.metrics.table[-1].observed_rate
    scores = score(loads(model.dumps()), [s.record for s in test_set])
    p = np.array([s.probability for s in scores])
    y = np.array([s.outcome.paid for s in test_set])
    truth = np.array([s.profile.propensity_to_pay for s in test_set])
    assert auc(y, p) > 0.75
    dpd = np.array([s.record.days_past_due for s in test_set])
    assert auc(y, p) > auc(y, -dpd) + 0.05  # beats ranking by days past due alone
    assert auc(y, p) > auc(y, truth) - 0.07  # close to what the hidden profile allows
    assert abs(p.mean() - y.mean()) < 0.06  # calibrated on average
    for s, case in zip(scores, test_set, strict=True):
        assert 0.0 <= s.probability <= 1.0
        assert 0 <= s.expected_amount_minor <= case.record.outstanding_minor
        assert len(s.reasons) == 3
        assert all(r.feature in FEATURES for r in s.reasons)
    assert model.data_hash == loads(model.dumps()).data_hash
    assert [s.probability for s in score(model, [test_set[0].record])] == [scores[0].probability]


def test_tiers_follow_configurable_cut_offs() -> None:
    cut = TierCutoffs(low_from=0.6, high_below=0.25)
    assert [cut.tier(p) for p in (0.6, 0.59, 0.25, 0.2499)] == [
        Tier.LOW,
        Tier.MEDIUM,
        Tier.MEDIUM,
        Tier.HIGH,
    ]
    with pytest.raises(ModelError):
        TierCutoffs(low_from=0.2, high_below=0.3)


def test_training_refuses_too_little_or_one_class_data(simulated: list[SimulatedCase]) -> None:
    with pytest.raises(ModelError, match="at least"):
        train([s.record for s in simulated[:10]], [s.outcome for s in simulated[:10]])
    same = [s.outcome.__class__(False, 0) for s in simulated[:300]]
    with pytest.raises(ModelError, match="same outcome"):
        train([s.record for s in simulated[:300]], same)


def test_simulated_history_has_promises_and_outcomes(simulated: list[SimulatedCase]) -> None:
    statuses = {p.status for s in simulated for p in s.record.promises}
    assert {"kept", "broken"} <= statuses
    outcomes = {a.outcome for s in simulated for a in s.record.attempts}
    assert {"no_answer", "promise", "wrong_number"} <= outcomes
    assert any(s.record.payments for s in simulated)
    assert (
        timedelta(0)
        <= max(
            datetime(2026, 6, 1, tzinfo=UTC) - a.started_at
            for s in simulated
            for a in s.record.attempts
        )
        <= timedelta(days=121)
    )
