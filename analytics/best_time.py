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
``best_instant`` is the same on aware instants in the debtor's zone (the dialer's timing,
``dialer.timing``); ``best_within`` and ``retime_sms`` pick inside one planned window (SMS
steps); ``LearnedTimes`` holds every debtor's table learned from the portfolio's calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pandas as pd

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


@dataclass(frozen=True, slots=True)
class LearnedTimes:
    """Every debtor's table from the attempts of the whole portfolio: their own calls shrunk to
    their segment's table, itself shrunk to the portfolio's rate (a case without a segment is
    in the pool ``""``)."""

    own: Mapping[str, Counts]
    pooled: Mapping[str, Counts]  # segment -> counts
    labels: Mapping[str, str]  # case -> segment
    rate: float  # the portfolio's right-party rate
    shrinkage: Shrinkage = field(default_factory=Shrinkage)

    @classmethod
    def learn(
        cls,
        calls: Mapping[str, Iterable[tuple[datetime, bool]]],
        labels: Mapping[str, str],
        shrinkage: Shrinkage | None = None,
    ) -> LearnedTimes:
        """From (local start, right-party answer) pairs per case and each case's segment."""
        own = {case_id: Counts.of(attempts) for case_id, attempts in calls.items()}
        pooled: dict[str, Counts] = {}
        for case_id, counts in own.items():
            seg = labels.get(case_id, "")
            pooled[seg] = pooled[seg] + counts if seg in pooled else counts
        everyone = sum(pooled.values(), Counts.of(()))
        return cls(own, pooled, labels, portfolio_rate(everyone), shrinkage or Shrinkage())

    def segment_of(self, case_id: str) -> str:
        return self.labels.get(case_id, "")

    def own_counts(self, case_id: str) -> Counts:
        return self.own.get(case_id) or Counts.of(())

    def segment_counts(self, segment: str) -> Counts:
        return self.pooled.get(segment) or Counts.of(())

    def table(self, case_id: str) -> Table:
        seg = self.segment_of(case_id)
        prior = segment_table(self.segment_counts(seg), self.rate, self.shrinkage)
        return debtor_table(self.own_counts(case_id), prior, self.shrinkage)


def best_instant(
    table: Table,
    now: datetime,
    timezone: str,
    allowed: Callable[[datetime], bool],
    *,
    horizon_hours: int = 72,
    patience: float = 0.9,
) -> tuple[datetime, float] | None:
    """``best_moment`` for an aware ``now`` and a debtor's zone: ``allowed`` is asked aware
    instants (the compliance guard's and the campaign's own predicates) and the moment comes
    back aware, in the debtor's zone."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone).replace(tzinfo=None)
    found = best_moment(
        table,
        local,
        lambda t: allowed(t.replace(tzinfo=zone)),
        horizon_hours=horizon_hours,
        patience=patience,
    )
    return None if found is None else (found[0].replace(tzinfo=zone), found[1])


def best_within(
    table: Table,
    earliest: datetime,
    latest: datetime,
    timezone: str,
    allowed: Callable[[datetime], bool] = lambda _at: True,
) -> tuple[datetime, float]:
    """The best moment of one planned window [``earliest``, ``latest``) (aware instants) that
    ``allowed`` accepts, with no patience discount (it is one window); ``earliest`` itself
    when nothing in the window is better or allowed."""
    hours = max(1, int((latest - earliest).total_seconds() // 3600) + 1)
    found = best_instant(
        table,
        earliest,
        timezone,
        lambda at: earliest <= at < latest and allowed(at),
        horizon_hours=hours,
        patience=1.0,
    )
    zone = ZoneInfo(timezone)
    first = float(table[earliest.astimezone(zone).weekday(), earliest.astimezone(zone).hour])
    return found if found is not None and found[1] > first else (earliest, first)


def retime_sms(planned: pd.DataFrame, learned: LearnedTimes) -> pd.DataFrame:
    """The strategy's plan with each SMS step's ``earliest`` moved to the best moment of its
    planned window [``earliest``, ``latest``) (the legal and treatment hours on the first day
    every rule allows): the hour the debtor is likeliest to have the phone in hand, read from
    their right-party answers (SMS replies are too few to learn hours from). Calls, blocked
    rows and rows without a window are left as they are (the dialer times calls)."""
    out = planned.copy()
    sms = (out["channel"] == "sms") & ~out["blocked"] & out["earliest"].notna()
    sms &= out["latest"].notna()
    moved = out["earliest"].copy()
    for i in (int(x) for x in np.flatnonzero(sms.to_numpy())):
        row = out.iloc[i]
        earliest = pd.Timestamp(row["earliest"]).to_pydatetime()
        latest = pd.Timestamp(row["latest"]).to_pydatetime()
        table = learned.table(str(row["case_id"]))
        at, _p = best_within(table, earliest, latest, str(row["timezone"]))
        moved.iloc[i] = pd.Timestamp(at).tz_convert("UTC")
    out["earliest"] = moved
    return out
