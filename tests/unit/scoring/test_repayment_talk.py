"""The repayment model with the debtor's own words (``CaseRecord.talk``): it learns from them,
keeps scoring cases nobody has talked to, and a model stored before talk existed ignores them."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from analytics.mining import Utterance, mine
from scoring.errors import ModelError
from scoring.model.features import FEATURES, feature_frame, talk_names
from scoring.model.metrics import auc
from scoring.model.records import CaseRecord
from scoring.model.repayment import loads, score, train
from scoring.synthetic.history import SimulatedCase, simulate
from scoring.synthetic.portfolio import generate

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def simulated() -> list[SimulatedCase]:
    return [simulate(c, seed=3) for c in generate(2400, seed=9, as_of=AS_OF)]


def _talking(sims: list[SimulatedCase], share: float, seed: int = 0) -> list[CaseRecord]:
    """Records where ``share`` of the debtors said something that (noisily) tells their
    outcome: the figure a good miner would read; the rest said nothing."""
    rng = random.Random(seed)
    out = []
    for s in sims:
        if rng.random() >= share:
            out.append(s.record)
            continue
        sign = 1.0 if s.outcome.paid else -1.0
        willing = sign * 0.6 + rng.gauss(0.0, 0.5)
        talk = (("mined_lines", float(rng.randint(1, 9))), ("willingness", willing))
        out.append(replace(s.record, talk=talk))
    return out


def test_talk_figures_enter_the_model_and_lift_it(simulated: list[SimulatedCase]) -> None:
    records = _talking(simulated, share=0.7)
    fit, held = slice(0, 1800), slice(1800, None)
    y = np.array([s.outcome.paid for s in simulated[held]])
    silent = train([s.record for s in simulated[fit]], [s.outcome for s in simulated[fit]], seed=1)
    talking = train(records[fit], [s.outcome for s in simulated[fit]], seed=1)
    assert silent.talk == ()
    assert talking.talk == ("mined_lines", "willingness")
    p_silent = [c.probability for c in score(silent, records[held])]
    p_talk = [c.probability for c in score(loads(talking.dumps()), records[held])]
    assert auc(y, np.array(p_talk)) > auc(y, np.array(p_silent)) + 0.03
    # the words show up among the reasons where they decided most
    named = {r.feature for c in score(talking, records[held]) for r in c.reasons}
    assert "willingness" in named


def test_a_case_nobody_has_talked_to_is_still_scored(simulated: list[SimulatedCase]) -> None:
    records = _talking(simulated, share=0.5, seed=4)
    model = train(records[:2000], [s.outcome for s in simulated[:2000]], seed=2)
    quiet = [replace(r, talk=()) for r in records[2000:2100]]
    scores = score(model, quiet)
    assert len(scores) == 100
    assert all(0.0 <= c.probability <= 1.0 for c in scores)
    assert len({round(c.probability, 6) for c in scores}) > 5  # still told apart by history
    # no NaN reaches the stored reason codes (JSON has none)
    for c in scores:
        json.dumps([r.as_dict() for r in c.reasons], allow_nan=False)
    one_figure = replace(quiet[0], talk=(("willingness", 0.9),))  # another figure missing
    assert 0.0 <= score(model, [one_figure])[0].probability <= 1.0


def test_a_model_stored_before_talk_reads_none(simulated: list[SimulatedCase]) -> None:
    model = train([s.record for s in simulated[:600]], [s.outcome for s in simulated[:600]])
    raw = json.loads(model.dumps())
    del raw["talk"]  # as stored by an earlier version
    old = loads(json.dumps(raw))
    assert old.talk == ()
    plain = [s.record for s in simulated[600:650]]
    said = _talking(simulated[600:650], share=1.0)
    assert [c.probability for c in score(old, plain)] == [c.probability for c in score(old, said)]


def test_talk_named_like_a_model_feature_is_refused(simulated: list[SimulatedCase]) -> None:
    records = [replace(s.record, talk=(("rpc_rate", 1.0),)) for s in simulated[:300]]
    with pytest.raises(ModelError, match="rpc_rate"):
        train(records, [s.outcome for s in simulated[:300]])


def test_the_frame_puts_talk_after_the_features_missing_as_nan() -> None:
    base = CaseRecord(
        "L1", "personal", "USD", 100_000, 80_000, 45, AS_OF, date(2025, 1, 1), "US", "UTC"
    )
    said = replace(base, case_id="L2", talk=(("willingness", -0.5), ("hedge_share", 1.0)))
    names = talk_names([base, said])
    assert names == ("hedge_share", "willingness")
    frame = feature_frame([base, said], names)
    assert list(frame.columns) == [*FEATURES, "hedge_share", "willingness"]
    assert np.isnan(frame["willingness"].iloc[0])
    assert frame["willingness"].iloc[1] == -0.5


def test_mined_signals_give_talk_only_when_the_debtor_said_something() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 5, 1, 10, tzinfo=UTC)
    nothing = mine("C1", [])
    assert nothing.talk() == ()
    said = mine("C2", [Utterance(at, "I lost my job, no money, I won't pay", "en")])
    talk = dict(said.talk())
    assert talk["mined_lines"] == 1.0
    assert talk["reason_job_loss"] == 1.0
    assert talk["willingness"] < 0
