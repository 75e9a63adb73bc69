"""Does what debtors say add to the repayment model? AUC with and without the mined features
on the simulated portfolio, by stratified k-fold cross-validation (same folds, same LightGBM
settings as the model), each answered call of the simulated history given the debtor's words
(``scoring.synthetic.talk``, driven by the hidden profile)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from analytics.mining import CaseSignals, Utterance, mine
from core.dialogue import Lang
from scoring.model.benchmark import stratified_folds
from scoring.model.features import feature_frame, talk_names
from scoring.model.gbm import fit_classifier
from scoring.model.metrics import auc
from scoring.model.records import CaseRecord
from scoring.synthetic.history import SimulatedCase, simulate
from scoring.synthetic.portfolio import generate
from scoring.synthetic.talk import debtor_lines


def simulated_talk(case: SimulatedCase, seed: int) -> list[Utterance]:
    """The debtor's words on every call of the history that reached them."""
    record = case.record
    lang: Lang = "zh" if record.jurisdiction == "CN" else "en"
    rng = random.Random(f"talk:{seed}:{record.case_id}")
    out: list[Utterance] = []
    for attempt in record.attempts:
        if attempt.channel != "call" or not attempt.conversation:
            continue
        for i, text in enumerate(debtor_lines(case.profile, attempt.outcome, lang, rng)):
            out.append(Utterance(attempt.started_at + timedelta(seconds=10 * i), text, lang))
    return out


def case_signals(case: SimulatedCase, seed: int) -> CaseSignals:
    broken = [p.created_at.date() for p in case.record.promises if p.status == "broken"]
    return mine(case.record.case_id, simulated_talk(case, seed), broken)


@dataclass(frozen=True, slots=True)
class MiningBenchmark:
    cases: int
    paid_share: float
    with_talk: float  # share of cases with at least one mined line
    auc_without: tuple[float, ...]
    auc_with: tuple[float, ...]

    def as_dict(self) -> dict[str, object]:
        a, b = np.array(self.auc_without), np.array(self.auc_with)
        return {
            "dataset": "simulated",
            "cases": self.cases,
            "paid_share": round(self.paid_share, 3),
            "cases_with_words": round(self.with_talk, 3),
            "folds": len(a),
            "auc_without_mined": round(float(a.mean()), 4),
            "auc_without_std": round(float(a.std(ddof=1)), 4),
            "auc_with_mined": round(float(b.mean()), 4),
            "auc_with_std": round(float(b.std(ddof=1)), 4),
            "auc_gain": round(float((b - a).mean()), 4),
            "folds_improved": int((b > a).sum()),
        }


def run(cases: int, seed: int, folds: int, as_of: date) -> MiningBenchmark:
    """Both models see the same folds; "with" reads the records as the production model does
    (``feature_frame`` with the talk figures, missing for a debtor with no words)."""
    sims = [simulate(c, seed) for c in generate(cases, seed, as_of=as_of)]
    y = np.array([s.outcome.paid for s in sims], dtype=np.int64)
    signals = [case_signals(s, seed) for s in sims]
    records = [replace(s.record, talk=sig.talk()) for s, sig in zip(sims, signals, strict=True)]
    base = feature_frame(records)
    both = feature_frame(records, talk_names(records))
    without: list[float] = []
    with_mined: list[float] = []
    for train, test in stratified_folds(y, folds, seed):
        for x, out in ((base, without), (both, with_mined)):
            model = fit_classifier(x.iloc[train], y[train], seed)
            out.append(auc(y[test], np.asarray(model.predict(x.iloc[test]), dtype=np.float64)))
    return MiningBenchmark(
        cases=len(sims),
        paid_share=float(y.mean()),
        with_talk=sum(1 for s in signals if s.lines) / max(len(signals), 1),
        auc_without=tuple(without),
        auc_with=tuple(with_mined),
    )


def talking_records(sims: Sequence[SimulatedCase], seed: int) -> list[CaseRecord]:
    """The simulated records with their debtors' mined words (``scoring train --synthetic``)."""
    return [replace(s.record, talk=case_signals(s, seed).talk()) for s in sims]
