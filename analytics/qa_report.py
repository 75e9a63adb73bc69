"""The QA report (share of calls with each finding, per script version and language) and the
review queue (calls with findings first, then a random sample of the clean ones)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analytics.qa import FINDINGS


@dataclass(frozen=True, slots=True)
class ScoredCall:
    attempt_id: str
    script_version: str
    lang: str
    score: int
    codes: frozenset[str]


@dataclass(frozen=True, slots=True)
class ReportRow:
    script_version: str
    lang: str
    calls: int
    mean_score: float
    clean_share: float
    shares: dict[str, float]  # finding code -> share of calls with it

    def as_dict(self) -> dict[str, object]:
        return {
            "script_version": self.script_version,
            "language": self.lang,
            "calls": self.calls,
            "mean_score": self.mean_score,
            "clean_share": self.clean_share,
            "finding_shares": self.shares,
        }


def report(calls: Iterable[ScoredCall]) -> list[ReportRow]:
    groups: dict[tuple[str, str], list[ScoredCall]] = defaultdict(list)
    for call in calls:
        groups[(call.script_version, call.lang)].append(call)
    rows = []
    for (version, lang), items in sorted(groups.items()):
        n = len(items)
        counts = Counter(code for c in items for code in c.codes)
        rows.append(
            ReportRow(
                version,
                lang,
                n,
                round(sum(c.score for c in items) / n, 1),
                round(sum(1 for c in items if not c.codes) / n, 3),
                {code: round(counts[code] / n, 3) for code in FINDINGS if counts[code]},
            )
        )
    return rows


def review_queue(calls: Sequence[ScoredCall], clean_sample: int, seed: int) -> list[ScoredCall]:
    """Every call with findings (worst score first), then ``clean_sample`` clean calls drawn at
    random with ``seed`` (a supervisor also checks that clean means clean)."""
    flagged = sorted((c for c in calls if c.codes), key=lambda c: (c.score, c.attempt_id))
    clean = sorted((c for c in calls if not c.codes), key=lambda c: c.attempt_id)
    picked = random.Random(seed).sample(clean, min(clean_sample, len(clean)))
    return flagged + picked
