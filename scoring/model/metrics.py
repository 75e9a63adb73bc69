"""Model quality figures: AUC, KS, calibration table and lift by decile."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def auc(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    yy = np.asarray(y, dtype=bool)
    ranks = _ranks(np.asarray(p, dtype=np.float64))
    pos = int(yy.sum())
    neg = len(yy) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    return float((ranks[yy].sum() - pos * (pos + 1) / 2) / (pos * neg))


def _ranks(values: Floats) -> Floats:
    order = np.argsort(values, kind="mergesort")
    sorted_v = values[order]
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1, dtype=np.float64)
    _, first, counts = np.unique(sorted_v, return_index=True, return_counts=True)
    for start, n in zip(first, counts, strict=True):
        if n > 1:
            ranks[order[start : start + n]] = start + (n + 1) / 2
    return ranks


def ks(y: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Kolmogorov-Smirnov statistic: the largest gap between the two classes' score CDFs."""
    yy = np.asarray(y, dtype=bool)
    pp = np.asarray(p, dtype=np.float64)
    thresholds = np.unique(pp)
    pos, neg = np.sort(pp[yy]), np.sort(pp[~yy])
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    cdf_pos = np.searchsorted(pos, thresholds, side="right") / len(pos)
    cdf_neg = np.searchsorted(neg, thresholds, side="right") / len(neg)
    return float(np.max(np.abs(cdf_pos - cdf_neg)))


@dataclass(frozen=True, slots=True)
class DecileRow:
    decile: int  # 1 = highest predicted probability
    count: int
    mean_predicted: float
    observed_rate: float
    lift: float  # observed rate / overall rate


def deciles(y: npt.ArrayLike, p: npt.ArrayLike, bins: int = 10) -> list[DecileRow]:
    """Calibration and lift table: cases sorted by predicted probability, highest first."""
    yy = np.asarray(y, dtype=np.float64)
    pp = np.asarray(p, dtype=np.float64)
    order = np.argsort(-pp, kind="mergesort")
    base = float(yy.mean()) if len(yy) else float("nan")
    rows = []
    for i, idx in enumerate(np.array_split(order, bins), start=1):
        if len(idx) == 0:
            continue
        rate = float(yy[idx].mean())
        rows.append(
            DecileRow(i, len(idx), float(pp[idx].mean()), rate, rate / base if base else 0.0)
        )
    return rows


@dataclass(frozen=True, slots=True)
class Report:
    auc: float
    ks: float
    base_rate: float
    brier: float
    table: tuple[DecileRow, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "auc": round(self.auc, 4),
            "ks": round(self.ks, 4),
            "base_rate": round(self.base_rate, 4),
            "brier": round(self.brier, 4),
            "deciles": [
                {
                    "decile": r.decile,
                    "count": r.count,
                    "mean_predicted": round(r.mean_predicted, 4),
                    "observed_rate": round(r.observed_rate, 4),
                    "lift": round(r.lift, 3),
                }
                for r in self.table
            ],
        }


def report(y: npt.ArrayLike, p: npt.ArrayLike) -> Report:
    yy = np.asarray(y, dtype=np.float64)
    pp = np.asarray(p, dtype=np.float64)
    return Report(
        auc=auc(yy, pp),
        ks=ks(yy, pp),
        base_rate=float(yy.mean()),
        brier=float(np.mean((pp - yy) ** 2)),
        table=tuple(deciles(yy, pp)),
    )
