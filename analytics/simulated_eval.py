"""End-to-end checks on the simulated portfolio, where the hidden profiles are known.

``best_time_lift``: each debtor's best hour learned from the simulated call history (shrunk to
their segment's table) against the current plan (an hour drawn evenly from the calling window),
scored by the hidden profile's true chance of a right-party answer at that hour (the history
simulator's own rule: the answer rate, x1.3 in a preferred hour and x0.7 outside it, capped at
0.95; wrong numbers and third parties never give one). The simulator writes its hours on the
UTC clock face; they are read here as the debtor's local hours, as the profile means them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from analytics.best_time import Counts, debtor_table, portfolio_rate, segment_table
from analytics.mining_benchmark import case_signals
from analytics.segments import Segmentation, behaviour_of, segment
from scoring.synthetic.history import SimulatedCase, simulate
from scoring.synthetic.portfolio import BehaviourProfile, generate

WINDOW = tuple(range(9, 19))  # calls start 09:00-18:59 local (the default contact hours)


def true_rpc(profile: BehaviourProfile, hour: int) -> float:
    if profile.wrong_number or profile.persona == "third_party":
        return 0.0
    boost = 1.3 if hour in profile.preferred_hours else 0.7
    return min(profile.answer_rate * boost, 0.95)


def call_counts(case: SimulatedCase) -> Counts:
    calls = [a for a in case.record.attempts if a.channel == "call"]
    return Counts.of((a.started_at.replace(tzinfo=None), a.conversation) for a in calls)


@dataclass(frozen=True, slots=True)
class BestTimeLift:
    cases: int
    rpc_current_plan: float
    rpc_learned: float
    rpc_oracle: float
    learned_in_preferred: float  # share of debtors whose learned hour is a preferred one

    def as_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "window_local_hours": f"{WINDOW[0]:02d}:00-{WINDOW[-1] + 1:02d}:00",
            "rpc_rate_current_plan": round(self.rpc_current_plan, 4),
            "rpc_rate_learned_times": round(self.rpc_learned, 4),
            "rpc_rate_oracle": round(self.rpc_oracle, 4),
            "relative_lift": round(self.rpc_learned / self.rpc_current_plan - 1, 4),
            "learned_hour_is_preferred": round(self.learned_in_preferred, 3),
        }


def simulated_portfolio(cases: int, seed: int, as_of: date) -> list[SimulatedCase]:
    return [simulate(c, seed) for c in generate(cases, seed, as_of=as_of)]


def segments_of(sims: Sequence[SimulatedCase], seed: int) -> Segmentation:
    return segment([behaviour_of(s.record, case_signals(s, seed)) for s in sims], seed=seed)


def best_time_lift(sims: Sequence[SimulatedCase], labels: dict[str, str]) -> BestTimeLift:
    counts = {s.record.case_id: call_counts(s) for s in sims}
    by_segment: dict[str, Counts] = defaultdict(lambda: Counts.of(()))
    for case_id, c in counts.items():
        by_segment[labels.get(case_id, "")] += c
    everyone = sum(by_segment.values(), Counts.of(()))
    rate = portfolio_rate(everyone)
    priors = {k: segment_table(v, rate) for k, v in by_segment.items()}
    window = list(WINDOW)
    current, learned, oracle, preferred = [], [], [], []
    for s in sims:
        table = debtor_table(counts[s.record.case_id], priors[labels.get(s.record.case_id, "")])
        by_hour = table.mean(axis=0)[window]
        hour = window[int(np.argmax(by_hour))]
        truth = [true_rpc(s.profile, h) for h in window]
        current.append(float(np.mean(truth)))
        learned.append(true_rpc(s.profile, hour))
        oracle.append(max(truth))
        preferred.append(float(hour in s.profile.preferred_hours))
    return BestTimeLift(
        len(sims),
        float(np.mean(current)),
        float(np.mean(learned)),
        float(np.mean(oracle)),
        float(np.mean(preferred)),
    )
