"""Mandarin lines the NLU was not written for, through speech: understanding, and the held-out
calibration of the second-yes recogniser bar (``SECOND_YES_ASR_MIN["zh"]``).

The corpus (default ``tests/unit/nlu/data/zh_unseen.yml``, held out: none of it is training data
or in ``bench/data/spoken_zh.yml``, the set the bar was first read off) is spoken by every
shipped Mandarin voice through the telephone line and recognised, exactly as
``bench/spoken_nlu.py`` does (same cache, same pipeline), then parsed by the current NLU.

Printed: intent / amount / date accuracy per voice, the misses, and for the bar: the recogniser
confidence of every rendering whose words pass as a plausible yes (true yeses vs verification
non-answers: deny, who-is-this, wrong number, third party, noise), swept over bars, with the
policy's verdict on each non-answer answered twice in a row.

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/zh_unseen_speech.py [--intents affirm,deny]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.logging import configure_logging
from nlu.classifier import IntentClassifier
from nlu.parser import NluParser
from nlu.policy.verification import (
    ASR_MIN_CONFIDENCE,
    SECOND_YES_ASR_MIN,
    confident_yes,
    plausible_yes,
)
from nlu.settings import NluSettings
from simulation.spoken.channel import ChannelParams
from simulation.spoken.corpus import load_corpus
from simulation.spoken.evaluate import run_benchmark
from simulation.spoken.metrics import VERIFICATION_NON_ANSWERS, Outcome, figures
from simulation.spoken.render import SpokenPipeline, timed
from simulation.spoken.voices import voices_for

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "unit" / "nlu" / "data" / "zh_unseen.yml"
NAME = "李明"  # the demo debtor the corpus answers for
BARS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.1f}%)" if n else "-"


def _eligible(o: Outcome, first: bool) -> float | None:
    """The recogniser confidence of a rendering whose words would verify alone (``first``:
    ``confident_yes``) or as one of two (``plausible_yes``) if heard clearly; else None."""
    loose = o.parse.heard_with(1.0)
    check = confident_yes if first else plausible_yes
    return (o.parse.asr_confidence or 0.0) if check(o.transcript, loose, "zh", NAME) else None


def calibration(outcomes: list[Outcome]) -> None:
    """Per bar: the true yeses that pass it and the non-answers that would (by their words and
    the recogniser's confidence), for the first-answer bar and the second-yes bar."""
    yes = [o for o in outcomes if o.utterance.intent == "affirm"]
    no = [o for o in outcomes if o.utterance.intent in VERIFICATION_NON_ANSWERS]
    other = [o for o in outcomes if o.utterance.intent not in VERIFICATION_NON_ANSWERS | {"affirm"}]
    print(
        f"\nheld-out yes bars: {len(yes)} true-yes renderings, {len(no)} verification "
        f"non-answers, {len(other)} other lines"
    )
    for first, label, current in (
        (True, "first answer (ASR_MIN_CONFIDENCE)", ASR_MIN_CONFIDENCE["zh"]),
        (False, "second yes (SECOND_YES_ASR_MIN)", SECOND_YES_ASR_MIN["zh"]),
    ):
        yes_c = sorted(c for o in yes if (c := _eligible(o, first)) is not None)
        bad = [(c, o) for o in [*no, *other] if (c := _eligible(o, first)) is not None]
        print(f"  {label}: true yes eligible by words {len(yes_c)}, confidences {yes_c}")
        for c, o in sorted(bad, key=lambda x: -x[0]):
            print(f"    NOT A YES, eligible by words: {c:.2f} {o.voice} {o.utterance.intent} "
                  f"{o.utterance.text!r} heard {o.transcript!r}")  # fmt: skip
        for bar in BARS:
            mark = "  <- current" if abs(bar - current) < 1e-9 else ""
            print(
                f"    bar {bar:.2f}: true yes {sum(c >= bar for c in yes_c)}/{len(yes)}, "
                f"non-answers {sum(c >= bar for c, o in bad if o in no)}/{len(no)}, "
                f"other {sum(c >= bar for c, o in bad if o in other)}/{len(other)}{mark}"
            )
    conf = sorted((o.parse.asr_confidence or 0.0) for o in no)
    print(f"  non-answer recogniser confidences (any words): median "
          f"{conf[len(conf) // 2] if conf else 0:.2f}, max {max(conf, default=0):.2f}")  # fmt: skip


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args.add_argument("--intents", help="only these intents, comma-separated")
    args.add_argument("--rates", default="0.9,1.15")
    args.add_argument("--engines", help="only these TTS engines, comma-separated")
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--misses", action="store_true", help="print every miss")
    opts = args.parse_args()
    configure_logging(level="WARNING")
    corpus = load_corpus(opts.corpus)
    wanted = set(opts.intents.split(",")) if opts.intents else None
    utterances = [u for u in corpus.utterances if wanted is None or u.intent in wanted]
    pipeline = SpokenPipeline("zh", ChannelParams(), 0)
    rates = tuple(float(r) for r in opts.rates.split(","))
    voices = voices_for("zh", rates, pipeline.engines)
    if opts.engines:
        voices = [v for v in voices if v.engine in opts.engines.split(",")]
    if not voices:
        sys.exit(f"no Mandarin voice (skipped: {pipeline.skipped})")
    settings = NluSettings()
    parser = NluParser(IntentClassifier.build(settings), threshold=settings.threshold)
    result = run_benchmark(corpus, utterances, voices, pipeline, parser, opts.workers, timed("zh"))
    print(f"{'':<14} {'n':>4} {'intent':>7} {'amount':>7} {'date':>7}")
    rows = {"clean text": list(result.clean), **result.by_voice(), **result.by_engine()}
    rows["all speech"] = list(result.spoken)
    for label, outcomes in rows.items():
        f = figures(outcomes, "zh")
        print(
            f"{label:<14} {f.n:4d} {100 * f.intent:6.1f}% {100 * f.amount:6.1f}% "
            f"{100 * f.date:6.1f}%"
        )
    if opts.misses:
        for o in result.spoken:
            u = o.utterance
            bad = [] if o.intent_ok else [f"intent {o.parse.intent}"]
            bad += [] if u.amount is None or o.amount_ok else ["amount"]
            bad += [] if u.date is None or o.date_ok else ["date"]
            if bad:
                what = ",".join(bad)
                print(f"  {o.voice:<12} {u.intent:>18} {what:<24} {u.text} => {o.transcript}")
    calibration(list(result.spoken))


if __name__ == "__main__":
    main()
