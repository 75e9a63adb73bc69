"""Plan the next action of N synthetic cases (default 1,000,000) and print the figures.

Usage: .venv/bin/python bench/plan_bench.py [N]
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from scoring.strategy import load_strategy, plan

ZONES = [
    ("America/New_York", "US"),
    ("America/Chicago", "US"),
    ("America/Denver", "US"),
    ("America/Los_Angeles", "US"),
    ("Pacific/Honolulu", "US"),
    ("Asia/Shanghai", "CN"),
    ("Asia/Urumqi", "CN"),
]


def synthetic(n: int, now: datetime, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    zone = rng.integers(0, len(ZONES), n)
    now_ns = pd.Timestamp(now).value

    def anchor(p: float, max_days: float) -> pd.Series:
        ns = now_ns - (rng.random(n) * max_days * 86_400e9).astype(np.int64)
        ts = pd.to_datetime(ns, utc=True)
        return pd.Series(ts).where(rng.random(n) < p)

    return pd.DataFrame(
        {
            "case_id": [f"L{i:08d}" for i in range(n)],
            "jurisdiction": np.array([z[1] for z in ZONES])[zone],
            "timezone": np.array([z[0] for z in ZONES])[zone],
            "tier": rng.choice(["low", "medium", "high"], n, p=[0.4, 0.35, 0.25]),
            "dpd": rng.integers(1, 240, n),
            "product": rng.choice(["personal", "auto", "card"], n),
            "balance_minor": rng.integers(5_000, 5_000_000, n),
            "currency": np.where(zone >= 5, "CNY", "USD"),
            "broken_promises": rng.poisson(0.6, n),
            "cease": rng.random(n) < 0.01,
            "attorney": rng.random(n) < 0.005,
            "deceased": rng.random(n) < 0.002,
            "dispute": rng.random(n) < 0.02,
            "do_not_call": rng.random(n) < 0.03,
            "attempts": rng.integers(0, 12, n),
            "last_contact_at": anchor(0.8, 10),
            "conversation_at": anchor(0.15, 9),
            "call_cap_anchor": anchor(0.05, 7),
            "connected_cap_anchor": anchor(0.02, 2),
            "sms_cap_anchor": anchor(0.05, 7),
        }
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    now = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)
    strategy = load_strategy()
    t0 = time.perf_counter()
    frame = synthetic(n, now)
    t1 = time.perf_counter()
    cpu0 = time.process_time()
    out = plan(frame, strategy, now)
    cpu = time.process_time() - cpu0
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cases: {n:,}  build: {t1 - t0:.2f} s  plan: {t2 - t1:.2f} s wall, {cpu:.2f} CPU-s")
    print(f"throughput: {n / (t2 - t1):,.0f} cases/s  peak RSS: {rss:.0f} MB")
    print(
        f"blocked: {out['blocked'].mean():.1%}  "
        f"challenger: {(out['arm'] == 'challenger').mean():.1%}"
    )
    print(out["treatment"].value_counts(normalize=True).round(3).to_string())
    print(out["channel"].value_counts(normalize=True).round(3).to_string())


if __name__ == "__main__":
    main()
