"""The repayment model: P(payment within 30 days), expected amount, reason codes and tiers.

Besides the loan and its history, the model reads the debtor's own words: the named ``talk``
figures of each record (mined from transcripts and SMS replies by ``analytics.mining``). The
figures a model was trained with are stored with it (``talk``); a case with none of them (no
call yet) scores through the trees' missing-value branches, and a model stored before talk
existed reads none.

Training splits the cases three ways (stratified): 60 % to fit LightGBM, 20 % to fit the
isotonic calibration, 20 % to measure it (AUC, KS, calibration and lift tables).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd

from scoring.errors import ModelError
from scoring.model.benchmark import stratified_folds
from scoring.model.calibration import Isotonic
from scoring.model.features import CATEGORICAL, FEATURES, feature_frame, talk_names
from scoring.model.gbm import fit_classifier, fit_regressor
from scoring.model.metrics import Report, report
from scoring.model.records import CaseRecord, Outcome
from scoring.strategy.model import Tier

MIN_CASES = 200


@dataclass(frozen=True, slots=True)
class TierCutoffs:
    """Low risk from ``low_from`` upwards, high risk below ``high_below`` (probabilities)."""

    low_from: float = 0.6
    high_below: float = 0.25

    def __post_init__(self) -> None:
        if not 0.0 <= self.high_below <= self.low_from <= 1.0:
            raise ModelError("tier cut-offs need 0 <= high_below <= low_from <= 1")

    def tier(self, probability: float) -> Tier:
        if probability >= self.low_from:
            return Tier.LOW
        return Tier.HIGH if probability < self.high_below else Tier.MEDIUM


DEFAULT_CUTOFFS = TierCutoffs()


@dataclass(frozen=True, slots=True)
class ReasonCode:
    feature: str
    value: float | str
    effect: float  # contribution to the log-odds of paying; negative lowers the score

    def as_dict(self) -> dict[str, object]:
        return {"feature": self.feature, "value": self.value, "effect": round(self.effect, 4)}


@dataclass(frozen=True, slots=True)
class CaseScore:
    case_id: str
    probability: float
    tier: Tier
    expected_amount_minor: int
    reasons: tuple[ReasonCode, ...]


@dataclass(frozen=True, slots=True)
class RepaymentModel:
    version: str
    classifier: str  # LightGBM model text
    amount: str  # LightGBM model text for the share of the balance paid by payers
    calibration: Isotonic
    categories: dict[str, tuple[str, ...]]
    metrics: Report
    data_hash: str
    trained_rows: int
    talk: tuple[str, ...] = ()  # the talk figures it reads, after FEATURES

    def dumps(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "classifier": self.classifier,
                "amount": self.amount,
                "calibration": {"x": self.calibration.x, "y": self.calibration.y},
                "categories": self.categories,
                "metrics": self.metrics.as_dict(),
                "data_hash": self.data_hash,
                "trained_rows": self.trained_rows,
                "talk": list(self.talk),
            }
        )


def data_hash(cases: Sequence[CaseRecord], outcomes: Sequence[Outcome]) -> str:
    digest = hashlib.sha256()
    for case, outcome in zip(cases, outcomes, strict=True):
        digest.update(repr((case, outcome)).encode())
    return digest.hexdigest()


def _frame(
    cases: Sequence[CaseRecord], categories: dict[str, tuple[str, ...]], talk: Sequence[str] = ()
) -> pd.DataFrame:
    frame = feature_frame(cases, talk)
    for column in CATEGORICAL:
        frame[column] = pd.Categorical(frame[column].astype(str), categories=categories[column])
    return frame


def train(
    cases: Sequence[CaseRecord], outcomes: Sequence[Outcome], seed: int = 0
) -> RepaymentModel:
    if len(cases) < MIN_CASES:
        raise ModelError(f"need at least {MIN_CASES} cases to train, got {len(cases)}")
    y = np.array([o.paid for o in outcomes], dtype=np.int8)
    if y.min() == y.max():
        raise ModelError("every case has the same outcome: nothing to learn")
    talk = talk_names(cases)
    clash = set(talk) & set(FEATURES)
    if clash:
        raise ModelError(f"talk figures named like model features: {sorted(clash)}")
    raw = feature_frame(cases)
    categories = {c: tuple(sorted(raw[c].astype(str).unique())) for c in CATEGORICAL}
    x = _frame(cases, categories, talk)
    parts = [test for _, test in stratified_folds(y, 5, seed)]
    fit_idx, cal_idx, test_idx = np.concatenate(parts[:3]), parts[3], parts[4]
    clf = fit_classifier(x.iloc[fit_idx], y[fit_idx], seed)
    iso = Isotonic.fit(_raw(clf, x.iloc[cal_idx]), y[cal_idx])
    measured = report(y[test_idx], iso(_raw(clf, x.iloc[test_idx])))
    share = np.array(
        [
            min(o.amount_minor / max(c.outstanding_minor, 1), 1.0)
            for c, o in zip(cases, outcomes, strict=True)
        ]
    )
    payers = np.flatnonzero(y == 1)
    amount = fit_regressor(x.iloc[payers], share[payers], seed)
    hashed = data_hash(cases, outcomes)
    return RepaymentModel(
        version=f"rm-{hashed[:12]}-s{seed}",
        classifier=clf.model_to_string(),
        amount=amount.model_to_string(),
        calibration=iso,
        categories=categories,
        metrics=measured,
        data_hash=hashed,
        trained_rows=len(cases),
        talk=talk,
    )


def _raw(model: lgb.Booster, x: pd.DataFrame) -> npt.NDArray[np.float64]:
    return np.asarray(model.predict(x), dtype=np.float64)


def _reasons(contrib: npt.NDArray[np.float64], row: pd.Series, top: int) -> tuple[ReasonCode, ...]:
    effects = contrib[:-1]  # the last column is the bias
    order = np.argsort(-np.abs(effects), kind="mergesort")[:top]
    out = []
    for i in order:
        value = row.iloc[int(i)]
        shown: float | str = str(value) if isinstance(value, str) else float(value)
        if isinstance(shown, float) and math.isnan(shown):
            shown = "none"  # a talk figure of a debtor nobody has talked to (JSON has no NaN)
        out.append(ReasonCode(str(row.index[int(i)]), shown, float(effects[int(i)])))
    return tuple(out)


def score(
    model: RepaymentModel,
    cases: Sequence[CaseRecord],
    cutoffs: TierCutoffs = DEFAULT_CUTOFFS,
    top_reasons: int = 3,
) -> list[CaseScore]:
    """Calibrated probability, tier, expected amount (minor units) and top reason codes."""
    if not cases:
        return []
    x = _frame(cases, model.categories, model.talk)
    clf = lgb.Booster(model_str=model.classifier)
    amount = lgb.Booster(model_str=model.amount)
    p = model.calibration(_raw(clf, x))
    share = np.clip(_raw(amount, x), 0.0, 1.0)
    contrib = np.asarray(clf.predict(x, pred_contrib=True), dtype=np.float64)
    scores = []
    for i, case in enumerate(cases):
        prob = float(p[i])
        expected = round(prob * float(share[i]) * case.outstanding_minor)
        scores.append(
            CaseScore(
                case.case_id,
                prob,
                cutoffs.tier(prob),
                expected,
                _reasons(contrib[i], x.iloc[i], top_reasons),
            )
        )
    return scores


def loads(text: str) -> RepaymentModel:
    """A model back from :meth:`RepaymentModel.dumps`; metrics are kept as figures only."""
    try:
        raw = json.loads(text)
        cal = raw["calibration"]
        m = raw["metrics"]
        metrics = Report(m["auc"], m["ks"], m["base_rate"], m["brier"], ())
        return RepaymentModel(
            version=raw["version"],
            classifier=raw["classifier"],
            amount=raw["amount"],
            calibration=Isotonic(tuple(cal["x"]), tuple(cal["y"])),
            categories={k: tuple(v) for k, v in raw["categories"].items()},
            metrics=metrics,
            data_hash=raw["data_hash"],
            trained_rows=int(raw["trained_rows"]),
            talk=tuple(str(t) for t in raw.get("talk", ())),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ModelError(f"not a stored repayment model: {e}") from e
