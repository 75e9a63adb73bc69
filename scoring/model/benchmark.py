"""Stratified k-fold cross-validation of the LightGBM settings on public credit data."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scoring.model.datasets import Dataset
from scoring.model.gbm import fit_classifier
from scoring.model.metrics import auc, ks

Index = npt.NDArray[np.int64]


def stratified_folds(y: npt.ArrayLike, k: int, seed: int) -> Iterator[tuple[Index, Index]]:
    """(train, test) index pairs; each class is spread evenly over the ``k`` folds."""
    labels = np.asarray(y)
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(labels), dtype=np.int64)
    for value in np.unique(labels):
        idx = np.flatnonzero(labels == value)
        rng.shuffle(idx)
        fold_of[idx] = np.arange(len(idx)) % k
    for fold in range(k):
        yield np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)


@dataclass(frozen=True, slots=True)
class CvResult:
    dataset: str
    rows: int
    features: int
    aucs: tuple[float, ...]
    kss: tuple[float, ...]
    seconds: float

    def line(self) -> str:
        a, k = np.array(self.aucs), np.array(self.kss)
        return (
            f"{self.dataset}: {self.rows} rows x {self.features} features, "
            f"{len(self.aucs)}-fold CV  AUC {a.mean():.3f} ± {a.std(ddof=1):.3f}  "
            f"KS {k.mean():.3f} ± {k.std(ddof=1):.3f}  ({self.seconds:.1f} s)"
        )


def cross_validate(data: Dataset, folds: int = 5, seed: int = 0) -> CvResult:
    start = time.perf_counter()
    aucs, kss = [], []
    for train, test in stratified_folds(data.y, folds, seed):
        model = fit_classifier(data.x.iloc[train], data.y[train], seed)
        p = np.asarray(model.predict(data.x.iloc[test]), dtype=np.float64)
        aucs.append(auc(data.y[test], p))
        kss.append(ks(data.y[test], p))
    return CvResult(
        data.name,
        len(data.y),
        data.x.shape[1],
        tuple(aucs),
        tuple(kss),
        time.perf_counter() - start,
    )
