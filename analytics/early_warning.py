"""Early warning: cases likely to roll into the next DPD bucket, or to break a promise, within
the next ``days`` (7), each with the reasons in words.

* Roll: a case rolls when its days past due cross a bucket edge (30, 60, 90, 180) before it
  pays. The crossing date is known; the chance it pays first comes from the repayment model's
  30-day probability spread evenly over the month (1 - (1 - p)^(d/30) for d days), so
  ``roll = 1 - that`` for cases whose edge falls inside the window, 0 otherwise.
* Broken promise: each pending promise due inside the window starts from the debtor's own
  record of kept and broken promises shrunk to the portfolio's break rate
  ((broken + m x base) / (kept + broken + m)); its odds are then multiplied by stated factors
  (a promise the debtor hedged, words unwilling to pay, a payment in the last 30 days). The
  factors are set by hand, not fitted; they are listed in ``FACTORS`` and in every reason.
* Segment drift: the case's behaviour moved it, between two segmentation runs, into a segment
  whose recovery rate is at least ``DRIFT_MIN`` lower than the one it left (segment ids are
  renumbered by each run; their recovery rates are what compare). Its score is that drop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from analytics.mining import CaseSignals
from scoring.model.records import CaseRecord

EDGES = (30, 60, 90, 180)
FACTORS = {"hedged": 1.8, "unwilling": 1.5, "paid_recently": 0.6}
PRIOR_STRENGTH = 3.0
LIST_THRESHOLD = 0.5  # a case at or above it is on the early-warning list
PAY_BOUNDS = (0.02, 0.98)  # no model is certain: its probability is kept inside these
KINDS = ("roll", "broken_promise", "segment_drift")
DRIFT_MIN = 0.05  # a drop in the segment's recovery rate that counts as drifting to worse


@dataclass(frozen=True, slots=True)
class Warning:
    case_id: str
    kind: str  # roll | broken_promise | segment_drift
    probability: float  # segment_drift: the drop in the recovery rate
    due: date  # when it happens if nothing is done
    reasons: tuple[str, ...]


def next_edge(dpd: int) -> int | None:
    return next((e for e in EDGES if dpd <= e), None)


def roll_warning(record: CaseRecord, pay_30d: float, days: int = 7) -> Warning | None:
    edge = next_edge(record.days_past_due)
    if edge is None:
        return None
    left = edge - record.days_past_due + 1  # days until it is edge + 1 days past due
    if left > days or record.outstanding_minor <= 0:
        return None
    p_pay = 1 - (1 - min(max(pay_30d, PAY_BOUNDS[0]), PAY_BOUNDS[1])) ** (left / 30)
    reasons = [f"crosses {edge} days past due in {left} day(s)"]
    reasons.append(f"chance to pay within 30 days {pay_30d:.0%} (model)")
    cut = datetime.combine(record.as_of, time(0), tzinfo=UTC)
    last = max((p.paid_at for p in record.payments if p.paid_at < cut), default=None)
    reasons.append(f"last payment {(cut - last).days} days ago" if last else "never paid")
    broken = sum(1 for p in record.promises if p.status == "broken")
    if broken:
        reasons.append(f"{broken} broken promise(s)")
    return Warning(
        record.case_id,
        "roll",
        round(1 - p_pay, 4),
        record.as_of + timedelta(days=left),
        tuple(reasons),
    )


def promise_warnings(
    record: CaseRecord,
    signals: CaseSignals | None,
    base_break_rate: float,
    days: int = 7,
) -> list[Warning]:
    due = [
        p
        for p in record.promises
        if p.status == "pending"
        and record.as_of <= p.due_date < record.as_of + timedelta(days=days)
    ]
    if not due:
        return []
    kept = sum(1 for p in record.promises if p.status == "kept")
    broken = sum(1 for p in record.promises if p.status == "broken")
    p0 = (broken + PRIOR_STRENGTH * base_break_rate) / (kept + broken + PRIOR_STRENGTH)
    odds = p0 / max(1 - p0, 1e-6)
    reasons = [f"kept {kept}, broke {broken} before (portfolio breaks {base_break_rate:.0%})"]
    if signals is not None and signals.hedged_promises:
        odds *= FACTORS["hedged"]
        words = signals.explain().get("hedge", [])[:2]
        reasons.append(f"hedged the promise ({', '.join(words)}) x{FACTORS['hedged']}")
    if signals is not None and signals.willingness < 0:
        odds *= FACTORS["unwilling"]
        words = signals.explain().get("unwilling", [])[:2]
        reasons.append(f"said unwilling ({', '.join(words) or 'words'}) x{FACTORS['unwilling']}")
    cut = datetime.combine(record.as_of, time(0), tzinfo=UTC)
    if any(timedelta(0) < cut - p.paid_at <= timedelta(days=30) for p in record.payments):
        odds *= FACTORS["paid_recently"]
        reasons.append(f"paid in the last 30 days x{FACTORS['paid_recently']}")
    probability = round(odds / (1 + odds), 4)
    return [
        Warning(record.case_id, "broken_promise", probability, p.due_date, tuple(reasons))
        for p in sorted(due, key=lambda p: p.due_date)
    ]


def break_rate(records: list[CaseRecord]) -> float:
    kept = sum(1 for r in records for p in r.promises if p.status == "kept")
    broken = sum(1 for r in records for p in r.promises if p.status == "broken")
    return (broken + 1) / (kept + broken + 2)


def warnings(
    records: list[CaseRecord],
    pay_30d: dict[str, float],
    signals: dict[str, CaseSignals],
    *,
    days: int = 7,
    threshold: float = LIST_THRESHOLD,
) -> list[Warning]:
    """Every warning at or above ``threshold``, most likely first (one per case and kind)."""
    base = break_rate(records)
    out: list[Warning] = []
    for r in records:
        roll = roll_warning(r, pay_30d.get(r.case_id, 0.0), days)
        if roll is not None:
            out.append(roll)
        out += promise_warnings(r, signals.get(r.case_id), base, days)[:1]
    return sorted(
        (w for w in out if w.probability >= threshold),
        key=lambda w: (-w.probability, w.case_id, w.kind),
    )


@dataclass(frozen=True, slots=True)
class SegmentMove:
    """A case's segment (name and recovery rate) at one run and at the run before."""

    before: str | None
    before_recovery: float | None
    now: str | None
    now_recovery: float | None


def drift_warning(case_id: str, move: SegmentMove, on: date) -> Warning | None:
    """A warning when the case moved into a segment that recovers ``DRIFT_MIN`` less."""
    was, now = move.before_recovery, move.now_recovery
    if move.before is None or move.now is None or was is None or now is None:
        return None
    drop = was - now
    if move.before == move.now or drop < DRIFT_MIN - 1e-9:
        return None
    reasons = (
        f"moved from '{move.before}' (recovery {was:.0%}) to '{move.now}' (recovery {now:.0%})",
    )
    return Warning(case_id, "segment_drift", round(drop, 4), on, reasons)
