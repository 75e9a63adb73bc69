"""What the soaked worker still holds: glibc's heap figures the probe wrote each minute, and
``malloc_trim(0)`` after the drain (``bench/soak.py --malloc`` / ``--trace``)."""

from __future__ import annotations

import json
import time
from pathlib import Path


def trim(probe: Path) -> dict[str, float]:
    """Ask the probed worker to ``malloc_trim(0)`` (after the drain) and read what it gave back."""
    (probe / "trim").touch()
    done = probe / "trim.json"
    for _ in range(30):
        if done.exists():
            trimmed: dict[str, float] = json.loads(done.read_text())
            print(f"malloc_trim(0) after the drain: {trimmed}", flush=True)
            return trimmed
        time.sleep(1)
    return {}


def heap_by_minute(probe: Path) -> dict[int, dict[str, float]]:
    """glibc's (and tracemalloc's) heap figures per minute, as the probed worker wrote them."""
    found = {int(p.stem.split("-")[1]): json.loads(p.read_text()) for p in probe.glob("malloc-*")}
    return dict(sorted(found.items()))


def held_memory(
    heap: dict[int, dict[str, float]],
    first: int,
    last: int,
    trimmed: dict[str, float],
    base_rss: float,
) -> dict[str, float | bool]:
    """What the worker still holds (``--malloc``/``--trace``): glibc's allocated bytes (in use
    + mmapped chunks) from the warm-up base to the last minute, and RSS after ``malloc_trim``
    against the base's RSS; {} without glibc's figures. ``ok``: both within 5 %."""
    minutes = [m for m in heap if first <= m <= last]
    if not minutes or not trimmed:
        return {}
    a, b = heap[minutes[0]], heap[minutes[-1]]
    before, after = a["in_use"] + a["mmapped"], b["in_use"] + b["mmapped"]
    grown = (after - before) / before * 100
    trimmed_vs_base = (trimmed["rss_after"] - base_rss) / base_rss * 100
    return {
        "allocated_mb": before, "allocated_last_mb": after,
        "allocated_growth_pct": round(grown, 2), "free_kept_last_mb": b["free"],
        "rss_after_trim_vs_base_pct": round(trimmed_vs_base, 2),
        "ok": grown <= 5 and trimmed_vs_base <= 5,
    }  # fmt: skip
