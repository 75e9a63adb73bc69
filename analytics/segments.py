"""Debtor segments from behaviour: k-means on standardised behaviour features, k by silhouette.

Why k-means: the features are continuous rates and counts, put on one scale (z-scores after a
log of the skewed counts), and a centroid reads as a sentence ("answers calls, breaks
promises"), which is what a strategy rule and a supervisor need. HDBSCAN leaves a share of
debtors unassigned and a GMM's soft labels are harder to act on; both were not needed here.
The number of segments is the k in ``ks`` with the best mean silhouette (on a seeded sample of
at most ``sample`` cases), among those whose smallest segment holds at least ``min_share`` of
the cases (a segment too small to get its own treatment is no segment). Stability: the
adjusted Rand index between the chosen clustering and ones with other seeds is reported.
Segments are numbered by recovery rate, best first (S1 recovers most), so names stay put when
the data do not change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans  # type: ignore[import-untyped]
from sklearn.metrics import adjusted_rand_score, silhouette_score  # type: ignore[import-untyped]

from analytics.mining import CaseSignals
from scoring.model.records import CaseRecord

Matrix = npt.NDArray[np.float64]
FEATURES = (
    "log_dpd",
    "answer_rate",
    "rpc_rate",
    "share_paid_180d",
    "payments_90d",
    "promise_kept_rate",
    "promises",
    "sms_share",
    "willingness",
    "hostile_share",
    "distressed_share",
)
WORDS = {  # feature: (said when well above the mean, said when well below)
    "log_dpd": ("long overdue", "recently overdue"),
    "answer_rate": ("answers calls", "hard to reach"),
    "rpc_rate": ("talks with us", "rarely reached in person"),
    "share_paid_180d": ("has paid part", "has paid nothing"),
    "payments_90d": ("pays regularly", "no recent payments"),
    "promise_kept_rate": ("keeps promises", "breaks promises"),
    "promises": ("makes many promises", "makes few promises"),
    "sms_share": ("contacted mostly by SMS", "contacted mostly by calls"),
    "willingness": ("says they will pay", "says they will not pay"),
    "hostile_share": ("hostile on calls", "calm on calls"),
    "distressed_share": ("in distress", "not in distress"),
}
CHANNELS = ("call", "sms")
PAYMENT_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Behaviour:
    case_id: str
    values: dict[str, float]
    paid_minor: int  # in the last 90 days
    owed_minor: int  # outstanding now
    channel_hits: dict[
        str, tuple[int, int]
    ]  # channel -> (attempts followed by a payment, attempts)


def behaviour_of(record: CaseRecord, signals: CaseSignals | None = None) -> Behaviour:
    """The case's behaviour up to its ``as_of`` (payments, contacts, promises, words)."""
    calls = [a for a in record.attempts if a.channel == "call"]
    kept = sum(1 for p in record.promises if p.status == "kept")
    broken = sum(1 for p in record.promises if p.status == "broken")
    last = max((p.paid_at for p in record.payments), default=None)
    recent = [p for p in record.payments if last and (last - p.paid_at).days <= 90]
    paid_180 = sum(
        p.amount_minor for p in record.payments if last and (last - p.paid_at).days <= 180
    )
    hits: dict[str, tuple[int, int]] = {}
    for channel in CHANNELS:
        tried = [a for a in record.attempts if a.channel == channel]
        followed = sum(
            1
            for a in tried
            if any(
                a.started_at <= p.paid_at < a.started_at + PAYMENT_WINDOW for p in record.payments
            )
        )
        hits[channel] = (followed, len(tried))
    shares = signals.attitude_shares if signals else {}
    values = {
        "log_dpd": math.log1p(record.days_past_due),
        "answer_rate": sum(a.connected for a in calls) / max(len(calls), 1),
        "rpc_rate": sum(a.conversation for a in calls) / max(len(calls), 1),
        "share_paid_180d": paid_180 / max(paid_180 + record.outstanding_minor, 1),
        "payments_90d": math.log1p(len(recent)),
        "promise_kept_rate": (kept + 0.5) / (kept + broken + 1.0),  # 0.5 with no promise due
        "promises": math.log1p(len(record.promises)),
        "sms_share": sum(a.channel == "sms" for a in record.attempts)
        / max(len(record.attempts), 1),
        "willingness": signals.willingness if signals else 0.0,
        "hostile_share": shares.get("hostile", 0.0),
        "distressed_share": shares.get("distressed", 0.0),
    }
    return Behaviour(
        record.case_id, values, sum(p.amount_minor for p in recent), record.outstanding_minor, hits
    )


@dataclass(frozen=True, slots=True)
class Segment:
    id: str
    name: str  # in words, from the centroid
    size: int
    share: float
    recovery_rate: float  # paid in the last 90 days / (that + still owed)
    best_channel: str  # the channel most often followed by a payment within 7 days
    channel_rates: dict[str, float]
    profile: dict[str, float]  # mean of each feature (its own units)
    z: dict[str, float]  # centroid in standard deviations from the portfolio mean


@dataclass(frozen=True, slots=True)
class Segmentation:
    method: str
    k: int
    criterion: str
    silhouettes: dict[int, float]
    stability_ari: float
    segments: tuple[Segment, ...]
    labels: dict[str, str] = field(repr=False)  # case id -> segment id

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "k": self.k,
            "criterion": self.criterion,
            "silhouette_by_k": self.silhouettes,
            "stability_ari": self.stability_ari,
            "segments": [
                {
                    "id": s.id,
                    "name": s.name,
                    "size": s.size,
                    "share": s.share,
                    "recovery_rate": s.recovery_rate,
                    "best_channel": s.best_channel,
                    "channel_payment_rates": s.channel_rates,
                    "profile": s.profile,
                }
                for s in self.segments
            ],
        }


def _matrix(behaviours: Sequence[Behaviour]) -> tuple[Matrix, Matrix, Matrix]:
    raw = np.array([[b.values[f] for f in FEATURES] for b in behaviours], dtype=np.float64)
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    std[std == 0] = 1.0
    return (raw - mean) / std, raw, mean


def _fit(x: Matrix, k: int, seed: int) -> npt.NDArray[np.int64]:
    model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)
    return np.asarray(model.labels_, dtype=np.int64)


def _choose_k(
    x: Matrix, ks: Sequence[int], seed: int, sample: int, min_share: float
) -> tuple[int, dict[int, float], dict[int, npt.NDArray[np.int64]]]:
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(x), size=min(sample, len(x)), replace=False)
    scores: dict[int, float] = {}
    fits: dict[int, npt.NDArray[np.int64]] = {}
    for k in ks:
        if k >= len(x):
            break
        labels = _fit(x, k, seed)
        fits[k] = labels
        if np.bincount(labels, minlength=k).min() < min_share * len(x):
            continue
        scores[k] = round(float(silhouette_score(x[pick], labels[pick], random_state=seed)), 4)
    if not scores:
        raise ValueError("too few cases to segment")
    return max(scores, key=lambda k: (scores[k], -k)), scores, fits


def _name(z: dict[str, float]) -> str:
    ranked = sorted(z, key=lambda f: -abs(z[f]))
    words = [WORDS[f][0 if z[f] > 0 else 1] for f in ranked[:3] if abs(z[f]) >= 0.5]
    return ", ".join(words) or "close to the portfolio average"


def segment(
    behaviours: Sequence[Behaviour],
    *,
    seed: int = 0,
    ks: Sequence[int] = (2, 3, 4, 5, 6, 7, 8),
    sample: int = 3000,
    min_share: float = 0.03,
) -> Segmentation:
    x, raw, _ = _matrix(behaviours)
    k, scores, fits = _choose_k(x, ks, seed, sample, min_share)
    labels = fits[k]
    others = [_fit(x, k, seed + s) for s in (1, 2)]
    ari = float(np.mean([adjusted_rand_score(labels, o) for o in others]))
    groups = []
    for c in range(k):
        idx = np.flatnonzero(labels == c)
        members = [behaviours[int(i)] for i in idx]
        paid = sum(b.paid_minor for b in members)
        recovery = paid / max(paid + sum(b.owed_minor for b in members), 1)
        groups.append((recovery, c, idx, members))
    groups.sort(key=lambda g: (-g[0], g[1]))
    segments: list[Segment] = []
    case_labels: dict[str, str] = {}
    for n, (recovery, _, idx, members) in enumerate(groups, start=1):
        sid = f"S{n}"
        z = {f: round(float(x[idx, j].mean()), 2) for j, f in enumerate(FEATURES)}
        rates = {}
        for ch in CHANNELS:
            hit, tried = (sum(b.channel_hits[ch][i] for b in members) for i in (0, 1))
            rates[ch] = round(hit / tried, 3) if tried else 0.0
        segments.append(
            Segment(
                id=sid,
                name=_name(z),
                size=len(idx),
                share=round(len(idx) / len(behaviours), 3),
                recovery_rate=round(recovery, 3),
                best_channel=max(CHANNELS, key=lambda ch: rates[ch]),
                channel_rates=rates,
                profile={f: round(float(raw[idx, j].mean()), 3) for j, f in enumerate(FEATURES)},
                z=z,
            )
        )
        case_labels |= {b.case_id: sid for b in members}
    return Segmentation(
        method="k-means (scikit-learn, n_init=10) on z-scored behaviour features",
        k=k,
        criterion=f"best mean silhouette over k in {list(ks)}, smallest segment >= {min_share:.0%}",
        silhouettes=scores,
        stability_ari=round(ari, 3),
        segments=tuple(segments),
        labels=case_labels,
    )
