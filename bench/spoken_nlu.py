"""Spoken robustness benchmark: the NLU on what the recogniser hears through a telephone line.

Each utterance of ``bench/data/spoken_<lang>.yml`` (written for this benchmark) is spoken by
every shipped voice of its language at several rates, sent through a simulated line (8 kHz,
G.711 mu-law, pink noise at ``--snr`` dB, ``--loss`` of the 20 ms packets lost), recognised by
the product's recogniser and parsed by the product's NLU. Renderings are cached by content hash
under ``$COLLECTBOT_HOME/cache/spoken`` (else ``~/.cache/collectbot/spoken``): a re-run only
redoes what changed, and always re-parses with the current NLU.

    PYTHONPATH=$PWD .venv/bin/python bench/spoken_nlu.py --lang all

Printed per language and per voice: intent accuracy (clean text vs through speech), amount and
date accuracy on the utterances that say one, the recogniser's word (en) / character (zh)
error rate, the share of non-affirmations the NLU reads as ``affirm`` (any confidence, >= 0.5,
>= 0.8), the same over the verification non-answers (deny, who-is-this, wrong number, third
party, noise), "policy": the share of those that the product's policy accepts as the right
party's answer to "is this {name}?" (verification by name, the recogniser's confidence attached
as on a live call), "yes ok": the share of true affirmations it accepts, and the worst
confusions.
``--held-out`` adds the NLU's held-out splits and their recogniser-output twins (``*_asr``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.dialogue import LANGS, Lang
from core.logging import configure_logging
from nlu.classifier import IntentClassifier
from nlu.evaluation import evaluate_intents
from nlu.parser import NluParser
from nlu.settings import NluSettings
from nlu.training_data import load_split
from simulation.spoken.channel import ChannelParams
from simulation.spoken.corpus import default_path, load_corpus
from simulation.spoken.evaluate import BenchResult, line_noise, run_benchmark
from simulation.spoken.metrics import (
    AFFIRM_THRESHOLDS,
    Figures,
    Outcome,
    confusions,
    figures,
)
from simulation.spoken.render import SpokenPipeline, timed
from simulation.spoken.voices import voices_for

DEFAULT_RATES = {"en": "0.85,1.0,1.2", "zh": "0.9,1.15"}


def _pct(x: float) -> str:
    return "   -  " if math.isnan(x) else f"{100 * x:5.1f}%"


def _row(label: str, f: Figures, clean: bool = False) -> str:
    err = "   -  " if clean else _pct(f.error_rate)
    fa = "/".join(_pct(v).strip() for v in f.false_affirm)
    fv = "/".join(_pct(v).strip() for v in f.false_affirm_verification)
    return (
        f"{label:<16} {f.n:5d} {_pct(f.intent)} {_pct(f.amount)} {_pct(f.date)} {err}"
        f"  {fa:<18} {fv:<18} {_pct(f.policy_verified)} {_pct(f.affirm_verified)}"
    )


def report(result: BenchResult) -> dict[str, object]:
    lang = result.lang
    unit = "CER" if lang == "zh" else "WER"
    clean = figures(result.clean, lang)
    print(
        f"\n== {lang}: {clean.n} utterances ({clean.amount_n} with an amount, {clean.date_n} "
        f"with a date; {clean.non_affirm_n} non-affirmations, {clean.verification_n} of them "
        f"verification non-answers)"
    )
    thresholds = "/".join(f">={t:g}" for t in AFFIRM_THRESHOLDS)
    print(
        f"{'':<16} {'n':>5} {'intent':>6} {'amount':>6} {'date':>6} {unit:>6}  "
        f"{'false affirm ' + thresholds:<18} {'verification':<18} policy  yes ok"
    )
    print(_row("clean text", clean, clean=True))
    table: dict[str, Figures] = {"clean": clean}
    for label, outcomes in [*result.by_voice().items(), *result.by_engine().items()]:
        table[label] = figures(outcomes, lang)
        print(_row(label, table[label]))
    table["all speech"] = figures(result.spoken, lang)
    print(_row("all speech", table["all speech"]))
    for engine, outcomes in result.by_engine().items():
        print(f"worst confusions through speech ({lang}, {engine}):")
        for expected, got, n, example in confusions(outcomes, top=8):
            print(f"  {n:4d}  {expected:>18} -> {got:<18} e.g. {example}")
    return {label: dataclasses.asdict(f) for label, f in table.items()}


def _misses(outcomes: tuple[Outcome, ...]) -> list[dict[str, str]]:
    return [
        {
            "text": o.utterance.text,
            "voice": o.voice,
            "heard": o.transcript,
            "expected": o.utterance.intent,
            "got": o.parse.intent,
        }
        for o in outcomes
        if not o.intent_ok
    ]


def held_out(parser: NluParser, lang: Lang) -> dict[str, float]:
    """Accuracy on the NLU's held-out splits, clean and as heard (``*_asr``, when generated)."""
    found: dict[str, float] = {}
    for split in ("test", "test_hard", "test_asr", "test_hard_asr"):
        try:
            examples = load_split(lang, split)
        except FileNotFoundError:
            continue
        report = evaluate_intents(parser, examples, lang)
        found[split] = report.accuracy
        print(
            f"held-out {lang}_{split:<14} n={report.total:4d}  intent {100 * report.accuracy:5.1f}%"
        )
    return found


def main() -> None:
    args = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    args.add_argument("--lang", choices=[*LANGS, "all"], default="all")
    args.add_argument(
        "--rates", help="speaking rates, comma-separated (default en 0.85,1.0,1.2; zh 0.9,1.15)"
    )
    args.add_argument("--engines", help="only these TTS engines, comma-separated")
    args.add_argument("--snr", type=float, default=20.0, help="background noise SNR, dB")
    args.add_argument("--loss", type=float, default=0.02, help="packet loss rate")
    args.add_argument("--seed", type=int, default=0)
    args.add_argument("--workers", type=int, default=2)
    args.add_argument(
        "--limit", type=int, default=0, help="N utterances spread over the corpus (smoke)"
    )
    args.add_argument("--noise-clips", type=int, default=24, help="line-noise-only clips")
    args.add_argument(
        "--held-out", action="store_true", help="also the NLU's held-out splits and *_asr twins"
    )
    args.add_argument("--json", type=Path, help="write figures and misses as JSON here")
    opts = args.parse_args()
    configure_logging(level="INFO")  # no per-utterance debug lines (they carry transcripts)
    channel = ChannelParams(snr_db=opts.snr, loss_rate=opts.loss)
    settings = NluSettings()
    parser = NluParser(IntentClassifier.build(settings), threshold=settings.threshold)
    print(f"channel: {channel.key}; seed {opts.seed}; NLU backend {parser.classifier.backend}")
    out: dict[str, object] = {}
    for lang in LANGS if opts.lang == "all" else (opts.lang,):
        corpus = load_corpus(default_path(lang))
        step = max(1, len(corpus.utterances) // opts.limit) if opts.limit else 1
        utterances = corpus.utterances[::step][: opts.limit or None]
        pipeline = SpokenPipeline(lang, channel, opts.seed)
        rates = tuple(float(r) for r in (opts.rates or DEFAULT_RATES[lang]).split(","))
        voices = voices_for(lang, rates, pipeline.engines)
        if opts.engines:
            voices = [v for v in voices if v.engine in opts.engines.split(",")]
        if not voices:
            sys.exit(f"no voice speaks {lang} (skipped engines: {pipeline.skipped})")
        print(
            f"{lang}: voices {', '.join(v.label for v in voices)}"
            + (f"; unavailable: {pipeline.skipped}" if pipeline.skipped else "")
        )
        started = time.perf_counter()
        result = run_benchmark(
            corpus, utterances, voices, pipeline, parser, opts.workers, timed(lang)
        )
        print(f"{lang}: rendered and parsed in {time.perf_counter() - started:.0f} s")
        noise = line_noise(corpus, parser, opts.noise_clips, opts.seed)
        heard = [o.transcript for o in noise if o.transcript]
        noise_f = figures(noise, lang)
        print(
            f"line noise only: {len(noise)} clips, {len(heard)} heard as words "
            f"{sorted(set(heard))[:8]}; read as affirm {_pct(noise_f.false_affirm[0]).strip()}, "
            f"accepted by the policy {_pct(noise_f.policy_verified).strip()}"
        )
        if opts.held_out:
            out[f"{lang}_held_out"] = held_out(parser, lang)
        out[f"{lang}_noise"] = {"figures": dataclasses.asdict(noise_f), "heard": heard}
        out[lang] = {
            "figures": report(result),
            "misses": _misses(result.spoken),
            "clean_misses": _misses(result.clean),
        }
    if opts.json:
        opts.json.write_text(
            json.dumps(out, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
