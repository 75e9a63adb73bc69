"""Transcript mining: what a debtor's own words say about paying, per case, explained.

From every line a debtor said (calls and SMS replies, both languages): a willingness to pay in
[-1, 1], an attitude (cooperative / evasive / hostile / distressed, with the share of each),
the reasons stated (job loss, illness, dispute, forgot), the promises stated and how many of
them were hedged, and how many recorded promises were broken after the debtor stated one.
Every signal keeps its evidence: the words that matched and when they were said.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from analytics.lexicon import ATTITUDES, INTENT_SIGNALS, PATTERNS, REASONS
from core.dialogue import Lang

IntentOf = Callable[[str, Lang], str]
FEATURES = (
    "mined_lines",
    "willingness",
    "hedge_share",
    *(f"attitude_{a}" for a in ATTITUDES),
    *(f"reason_{r}" for r in REASONS),
    "promises_stated",
    "stated_then_broken",
)


@dataclass(frozen=True, slots=True)
class Utterance:
    at: datetime
    text: str
    lang: Lang
    source: str = "call"  # call | sms


@dataclass(frozen=True, slots=True)
class Evidence:
    signal: str
    words: str  # what matched ("intent:<name>" when the NLU said it)
    at: datetime


@dataclass(frozen=True, slots=True)
class CaseSignals:
    case_id: str
    lines: int
    willingness: float
    attitude: str  # the dominant one, or "unknown" without cues
    attitude_shares: dict[str, float]
    reasons: tuple[str, ...]
    promises_stated: int
    hedged_promises: int
    stated_then_broken: int
    evidence: tuple[Evidence, ...]

    def features(self) -> dict[str, float]:
        out = {
            "mined_lines": float(self.lines),
            "willingness": self.willingness,
            "hedge_share": self.hedged_promises / max(self.promises_stated, 1),
            "promises_stated": float(self.promises_stated),
            "stated_then_broken": float(self.stated_then_broken),
        }
        out |= {f"attitude_{a}": self.attitude_shares.get(a, 0.0) for a in ATTITUDES}
        out |= {f"reason_{r}": float(r in self.reasons) for r in REASONS}
        return out

    def talk(self) -> tuple[tuple[str, float], ...]:
        """The figures the repayment model reads (``CaseRecord.talk``); none for a debtor who
        has said nothing yet, so the model tells "no words" apart from "neutral words"."""
        return tuple(sorted(self.features().items())) if self.lines else ()

    def explain(self) -> dict[str, list[str]]:
        """Signal -> the words that led to it (the case's explanation)."""
        out: dict[str, list[str]] = {}
        for e in self.evidence:
            out.setdefault(e.signal, []).append(e.words)
        return out


def cues(u: Utterance, intent_of: IntentOf | None = None) -> list[Evidence]:
    """Every signal in one utterance, with the words that show it."""
    found = [
        Evidence(signal, m.group(0), u.at)
        for signal, pattern in PATTERNS[u.lang].items()
        if (m := pattern.search(u.text))
    ]
    if intent_of is not None:
        intent = intent_of(u.text, u.lang)
        have = {e.signal for e in found}
        found += [
            Evidence(s, f"intent:{intent}", u.at)
            for s in INTENT_SIGNALS.get(intent, ())
            if s not in have
        ]
    return found


def mine(
    case_id: str,
    utterances: Iterable[Utterance],
    broken_promises: Sequence[date] = (),
    intent_of: IntentOf | None = None,
) -> CaseSignals:
    """The case's signals; ``broken_promises`` are the creation dates of its recorded promises
    that were broken (a broken promise counts when the debtor stated one within a day)."""
    lines = sorted(utterances, key=lambda u: u.at)
    evidence: list[Evidence] = []
    per_line: list[set[str]] = []
    for u in lines:
        found = cues(u, intent_of)
        evidence += found
        per_line.append({e.signal for e in found})
    count = Counter(s for signals in per_line for s in signals)
    promised = [u.at for u, s in zip(lines, per_line, strict=True) if "promise" in s]
    hedged = sum(1 for s in per_line if "promise" in s and "hedge" in s)
    plus = count["willing"] + count["promise"]
    minus = count["unwilling"] + 0.5 * count["hedge"]
    willingness = (plus - minus) / max(plus + minus, 1.0)
    moods = {a: count[a] for a in ATTITUDES}
    total = sum(moods.values())
    shares = {a: round(n / total, 3) for a, n in moods.items()} if total else {}
    order = ("hostile", "distressed", "evasive", "cooperative")  # ties: the more serious
    attitude = max(order, key=lambda a: (moods[a], -order.index(a))) if total else "unknown"
    broken = sum(
        1
        for d in broken_promises
        if any(abs(at.date() - d) <= timedelta(days=1) for at in promised)
    )
    return CaseSignals(
        case_id=case_id,
        lines=len(lines),
        willingness=round(max(-1.0, min(1.0, willingness)), 3),
        attitude=attitude,
        attitude_shares=shares,
        reasons=tuple(r for r in REASONS if count[r]),
        promises_stated=len(promised),
        hedged_promises=hedged,
        stated_then_broken=broken,
        evidence=tuple(evidence),
    )
