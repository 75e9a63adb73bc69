"""One case as the planner sees it, and the column frame built from many of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from scoring.strategy.planner import ANCHORS, PLAN_COLUMNS
from scoring.strategy.summary import ContactSummary


@dataclass(frozen=True, slots=True)
class PlanCase:
    case_id: str
    jurisdiction: str
    timezone: str
    tier: str
    dpd: int
    product: str
    balance_minor: int
    currency: str
    broken_promises: int = 0
    flags: frozenset[str] = frozenset()
    do_not_call: bool = False  # the number we would use is flagged do-not-call
    consent_call: bool = True
    consent_sms: bool = True
    summary: ContactSummary = field(default_factory=ContactSummary)
    segment: str = ""  # behaviour segment ("": not segmented)
    early_warning: bool = False


def to_frame(cases: Iterable[PlanCase]) -> pd.DataFrame:
    rows = []
    for c in cases:
        s = c.summary
        row: dict[str, object] = {
            "case_id": c.case_id,
            "jurisdiction": c.jurisdiction,
            "timezone": c.timezone,
            "tier": c.tier,
            "dpd": c.dpd,
            "product": c.product,
            "balance_minor": c.balance_minor,
            "currency": c.currency,
            "broken_promises": c.broken_promises,
            "do_not_call": c.do_not_call,
            "consent_call": c.consent_call,
            "consent_sms": c.consent_sms,
            "attempts": s.attempts,
            "segment": c.segment,
            "early_warning": c.early_warning,
        }
        for flag in ("cease", "attorney", "deceased", "dispute", "bankruptcy"):
            row[flag] = flag in c.flags
        for anchor in ANCHORS:
            row[anchor] = getattr(s, anchor)
        rows.append(row)
    extra = ["bankruptcy", "consent_call", "consent_sms", "segment", "early_warning"]
    frame = pd.DataFrame(rows, columns=[*PLAN_COLUMNS, *extra])
    for anchor in ANCHORS:
        frame[anchor] = pd.to_datetime(frame[anchor], utc=True)
    return frame
