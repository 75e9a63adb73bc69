"""Model features from a case's loan, payment and contact history (as of a given instant)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta

import pandas as pd

from scoring.model.records import CaseRecord

CATEGORICAL = ("product", "dpd_bucket", "last_outcome", "region")
NUMERIC = (
    "days_past_due",
    "log_balance",
    "balance_ratio",
    "payments_30d",
    "payments_90d",
    "payments_180d",
    "share_paid_180d",
    "promises_kept",
    "promises_broken",
    "promises_pending",
    "attempts_30d",
    "connected_30d",
    "rpc_30d",
    "rpc_rate",
    "sms_30d",
    "days_since_payment",
    "days_since_contact",
    "loan_age_days",
)
FEATURES = NUMERIC + CATEGORICAL
NEVER = 9999.0
DPD_EDGES = ((30, "1-30"), (60, "31-60"), (90, "61-90"), (180, "91-180"))


def dpd_bucket(dpd: int) -> str:
    for edge, name in DPD_EDGES:
        if dpd <= edge:
            return name
    return "181+"


def _cutoff(case: CaseRecord) -> datetime:
    return datetime.combine(case.as_of, time(0), tzinfo=UTC)


def case_features(case: CaseRecord) -> dict[str, float | str]:
    """Features known at the start of ``case.as_of`` (UTC); nothing from later leaks in."""
    cut = _cutoff(case)
    pays = [p for p in case.payments if p.paid_at < cut]
    tries = [a for a in case.attempts if a.started_at < cut]
    proms = [p for p in case.promises if p.created_at < cut]

    def paid_within(days: int) -> int:
        return sum(p.amount_minor for p in pays if cut - p.paid_at <= timedelta(days=days))

    def count(items: Iterable[bool]) -> float:
        return float(sum(1 for x in items if x))

    recent = [a for a in tries if cut - a.started_at <= timedelta(days=30)]
    calls = [a for a in tries if a.channel == "call"]
    last = max(tries, key=lambda a: a.started_at, default=None)
    paid_180 = paid_within(180)
    principal = max(case.principal_minor, 1)
    return {
        "days_past_due": float(case.days_past_due),
        "log_balance": math.log1p(max(case.outstanding_minor, 0)),
        "balance_ratio": case.outstanding_minor / principal,
        "payments_30d": count(cut - p.paid_at <= timedelta(days=30) for p in pays),
        "payments_90d": count(cut - p.paid_at <= timedelta(days=90) for p in pays),
        "payments_180d": count(cut - p.paid_at <= timedelta(days=180) for p in pays),
        "share_paid_180d": paid_180 / max(case.outstanding_minor + paid_180, 1),
        "promises_kept": count(p.status == "kept" for p in proms),
        "promises_broken": count(p.status == "broken" for p in proms),
        "promises_pending": count(p.status == "pending" for p in proms),
        "attempts_30d": float(len(recent)),
        "connected_30d": count(a.connected for a in recent),
        "rpc_30d": count(a.conversation for a in recent),
        "rpc_rate": count(a.conversation for a in calls) / max(len(calls), 1),
        "sms_30d": count(a.channel == "sms" for a in recent),
        "days_since_payment": min(
            ((cut - max(p.paid_at for p in pays)).days if pays else NEVER), NEVER
        ),
        "days_since_contact": float((cut - last.started_at).days) if last else NEVER,
        "loan_age_days": float((case.as_of - case.origination_date).days)
        if case.origination_date
        else NEVER,
        "product": case.product,
        "dpd_bucket": dpd_bucket(case.days_past_due),
        "last_outcome": (last.outcome or "none") if last else "never",
        "region": f"{case.jurisdiction}:{case.timezone}",
    }


def talk_names(cases: Iterable[CaseRecord]) -> tuple[str, ...]:
    """Every talk figure any of ``cases`` carries, in a fixed order (sorted)."""
    return tuple(sorted({name for c in cases for name, _ in c.talk}))


def feature_frame(cases: Sequence[CaseRecord], talk: Sequence[str] = ()) -> pd.DataFrame:
    """The model's features, then the ``talk`` figures (missing, NaN, for a case without them:
    the trees learn a branch for "nobody has talked to this debtor yet")."""
    frame = pd.DataFrame([case_features(c) for c in cases], columns=list(FEATURES))
    for column in NUMERIC:
        frame[column] = frame[column].astype("float64")
    for column in CATEGORICAL:
        frame[column] = frame[column].astype("category")
    if talk:
        said = [dict(c.talk) for c in cases]
        extra = pd.DataFrame(
            [[d.get(name, math.nan) for name in talk] for d in said],
            columns=list(talk),
            index=frame.index,
            dtype="float64",
        )
        frame = pd.concat([frame, extra], axis=1)
    return frame
