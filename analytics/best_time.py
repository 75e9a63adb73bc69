"""The best time to reach a debtor: P(right-party answer) by weekday x hour in local time.

Attempts are sparse (a debtor gets a few dozen calls spread over 7 x 24 slots), so raw counts
say little; every estimate is shrunk towards a prior with a stated strength:

* the segment's table: each slot's rate shrunk (``slot_strength``) to the segment's rate at
  that hour of day, itself shrunk (``hour_strength``) to the segment's overall rate, itself
  shrunk (``prior_strength``) to the portfolio's;
* the debtor's table: the debtor's rate at each hour of day, shrunk (``debtor_strength``) to
  the segment's at that hour, times the segment's weekday profile at that hour.

A new debtor gets the segment's table exactly; one who answers every evening at 19:00 moves
away from it as their own attempts accumulate.

``best_moment`` is the planner's hook: the best hour within the next ``horizon_hours`` that
the caller's ``allowed`` predicate accepts (legal and campaign windows, in local time), a day
later weighted by ``patience`` (0.9: a slot tomorrow must be 11 % better to wait for it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

Table = npt.NDArray[np.float64]  # shape (7, 24): Monday=0, hour 0..23
SHAPE = (7, 24)


@dataclass(frozen=True, slots=True)
class Counts:
    hits: Table  # right-party answers
    tries: Table  # call attempts

    @classmethod
    def of(cls, attempts: Iterable[tuple[datetime, bool]]) -> Counts:
        """From (local start time, right-party answer) pairs."""
        hits, tries = np.zeros(SHAPE), np.zeros(SHAPE)
        for at, rpc in attempts:
            tries[at.weekday(), at.hour] += 1
            hits[at.weekday(), at.hour] += rpc
        return cls(hits, tries)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.hits + other.hits, self.tries + other.tries)

    @property
    def n(self) -> int:
        return int(self.tries.sum())


@dataclass(frozen=True, slots=True)
class Shrinkage:
    prior_strength: float = 50.0
    hour_strength: float = 30.0
    slot_strength: float = 20.0
    debtor_strength: float = 8.0


def segment_table(seg: Counts, portfolio_rate: float, s: Shrinkage | None = None) -> Table:
    s = s or Shrinkage()
    overall = (seg.hits.sum() + s.prior_strength * portfolio_rate) / (
        seg.tries.sum() + s.prior_strength
    )
    hour = (seg.hits.sum(axis=0) + s.hour_strength * overall) / (
        seg.tries.sum(axis=0) + s.hour_strength
    )
    return np.asarray((seg.hits + s.slot_strength * hour) / (seg.tries + s.slot_strength))


def debtor_table(own: Counts, prior: Table, s: Shrinkage | None = None) -> Table:
    s = s or Shrinkage()
    prior_hour = prior.mean(axis=0)
    hour = (own.hits.sum(axis=0) + s.debtor_strength * prior_hour) / (
        own.tries.sum(axis=0) + s.debtor_strength
    )
    weekday = prior / np.where(prior_hour > 0, prior_hour, 1.0)
    return np.asarray(np.clip(weekday * hour, 0.0, 1.0))


def portfolio_rate(counts: Counts) -> float:
    return float((counts.hits.sum() + 1.0) / (counts.tries.sum() + 2.0))


def best_moment(
    table: Table,
    now_local: datetime,
    allowed: Callable[[datetime], bool],
    *,
    horizon_hours: int = 72,
    patience: float = 0.9,
) -> tuple[datetime, float] | None:
    """The start of the best allowed hour from ``now_local`` on (or now, inside the current
    hour), with its probability; None when no hour in the horizon is allowed."""
    start = now_local.replace(minute=0, second=0, microsecond=0)
    best: tuple[float, datetime, float] | None = None
    for step in range(horizon_hours):
        slot = start + timedelta(hours=step)
        moment = max(slot, now_local)
        if not allowed(moment):
            continue
        p = float(table[slot.weekday(), slot.hour])
        value = p * patience ** ((slot - start).total_seconds() / 86400)
        if best is None or value > best[0]:
            best = (value, moment, p)
    return None if best is None else (best[1], best[2])


def ranked_slots(table: Table, top: int = 5) -> list[tuple[int, int, float]]:
    """The ``top`` (weekday, hour, probability) slots, best first."""
    order = np.argsort(-table, axis=None, kind="stable")[:top]
    return [(int(i // 24), int(i % 24), round(float(table.flat[i]), 4)) for i in order]
