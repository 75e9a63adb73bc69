"""Isotonic calibration (pool-adjacent-violators), fitted on a held-out fold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Isotonic:
    """Centred isotonic regression: PAV blocks joined at their mean scores.

    Linear interpolation between block centres keeps the map strictly increasing inside the
    fitted range, so calibration does not turn distinct scores into ties (and lose ranking)
    the way a step function does on a small calibration fold.
    """

    x: tuple[float, ...]
    y: tuple[float, ...]

    @classmethod
    def fit(cls, raw: npt.ArrayLike, labels: npt.ArrayLike) -> Isotonic:
        s = np.asarray(raw, dtype=np.float64)
        t = np.asarray(labels, dtype=np.float64)
        order = np.argsort(s, kind="mergesort")
        s, t = s[order], t[order]
        # pool adjacent violators; each block keeps its label mean, weight and mean score
        means: list[float] = []
        weights: list[float] = []
        centres: list[float] = []
        for xi, yi in zip(s.tolist(), t.tolist(), strict=True):
            means.append(yi)
            weights.append(1.0)
            centres.append(xi)
            while len(means) > 1 and means[-2] >= means[-1]:
                w = weights[-2] + weights[-1]
                means[-2:] = [(means[-2] * weights[-2] + means[-1] * weights[-1]) / w]
                centres[-2:] = [(centres[-2] * weights[-2] + centres[-1] * weights[-1]) / w]
                weights[-2:] = [w]
        xs, ys = centres, means
        return cls(tuple(xs), tuple(ys))

    def __call__(self, raw: npt.ArrayLike) -> npt.NDArray[np.float64]:
        values = np.interp(np.asarray(raw, dtype=np.float64), self.x, self.y)
        return np.clip(values, 0.0, 1.0)
