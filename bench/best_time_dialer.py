"""The right-party contact rate of the dialer's own timing (``dialer.timing.call_moment``) on
the simulated portfolio, against calling each case the moment it comes due.

Each debtor's table is learned from the simulated call history (``LearnedTimes``: own calls
shrunk to the segment, then the portfolio); a campaign with a 09:00-19:00 window runs over
the next ``--days`` days. A case comes due as the dialer sees it today: at the opening of
its planned window (what ``strategy plan`` writes) or, for retries and callbacks, at a moment
drawn evenly from the allowed hours. The learned plan calls at ``call_moment`` (the campaign
window and the legal hours, 48 h ahead, patience 0.9); the current plan calls when due. Each
call is scored by the hidden profile's true chance of a right-party answer at its local hour
(``analytics.simulated_eval.true_rpc``). The history simulator writes hours on the UTC clock
face; they are read as local hours, as the profiles mean them.

    PYTHONPATH=$PWD .venv/bin/python bench/best_time_dialer.py --cases 2000 --seed 2026
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from analytics.best_time import LearnedTimes
from analytics.simulated_eval import segments_of, simulated_portfolio, true_rpc
from data.call_timing import TimedCase
from dialer.timing import call_moment
from scoring.campaign import parse_definition
from scoring.campaign.hours import callable_at
from scoring.compliance import DEFAULT_PROFILES, Debtor
from scoring.compliance.profiles import profile_for

DEFINITION = parse_definition({"window": {"start": "09:00", "end": "19:00"}})


def _allowed_moments(debtor: Debtor, jurisdiction: str, day: date, tz: ZoneInfo) -> list[datetime]:
    profile = profile_for(jurisdiction, DEFAULT_PROFILES)
    quarter = [datetime.combine(day, time(h, m), tzinfo=tz) for h in range(24) for m in (0, 30)]
    return [m for m in quarter if callable_at(m, debtor, profile, DEFINITION.window)]


def run(cases: int, seed: int, days: int, segment_prior: bool) -> dict[str, object]:
    as_of = date(2026, 12, 7)
    sims = simulated_portfolio(cases, seed, as_of)
    labels = segments_of(sims, seed).labels if segment_prior else {}
    calls = {
        s.record.case_id: [
            (a.started_at.replace(tzinfo=None), a.conversation)
            for a in s.record.attempts
            if a.channel == "call"
        ]
        for s in sims
    }
    learned = LearnedTimes.learn(calls, labels)
    rng = random.Random(seed)
    score: dict[str, list[float]] = {"opening": [], "opening_learned": [], "any": [],
                                     "any_learned": [], "oracle": []}  # fmt: skip
    moved = 0
    for s in sims:
        r = s.record
        tz = ZoneInfo(r.timezone)
        debtor = Debtor.of(r.jurisdiction, r.timezone, [], [])
        profile = profile_for(r.jurisdiction, DEFAULT_PROFILES)
        case = TimedCase(r.case_id, r.jurisdiction, r.timezone, {})
        table = learned.table(r.case_id)
        for d in range(days):
            allowed = _allowed_moments(debtor, r.jurisdiction, as_of + timedelta(days=d), tz)
            if not allowed:
                continue
            hours = sorted({m.hour for m in allowed})
            score["oracle"].append(max(true_rpc(s.profile, h) for h in hours))
            for kind, due in (("opening", allowed[0]), ("any", rng.choice(allowed))):
                found = call_moment(table, case, due.astimezone(UTC), profile, DEFINITION)
                at = due if found is None else found[0].astimezone(tz)
                moved += found is not None
                score[kind].append(true_rpc(s.profile, due.hour))
                score[f"{kind}_learned"].append(true_rpc(s.profile, at.hour))
    rates = {k: round(float(np.mean(v)), 4) for k, v in score.items()}
    return {
        "cases": len(sims),
        "days": days,
        "prior": "segment" if segment_prior else "portfolio",
        "window_local": "09:00-19:00 within the legal hours",
        "rpc_rate": rates,
        "lift_at_opening": round(rates["opening_learned"] / rates["opening"] - 1, 4),
        "lift_any_moment": round(rates["any_learned"] / rates["any"] - 1, 4),
        "calls_moved": round(moved / (2 * len(score["oracle"])), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--portfolio-prior", action="store_true")
    a = parser.parse_args()
    print(json.dumps(run(a.cases, a.seed, a.days, not a.portfolio_prior)))


if __name__ == "__main__":
    main()
