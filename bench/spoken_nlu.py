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
``--corpus FILE`` renders another file of the same format instead (a held-out set such as
``tests/unit/nlu/data/en_unseen_session6.yml``).
``--held-out`` adds the NLU's held-out splits and their recogniser-output twins (``*_asr``).
``--stage-hints`` (English) hears each line with the hint of the question it answers instead of
the domain prompt alone (``simulation/spoken/stage_hints.py``; measured and not shipped:
docs/nlu.md, third session of issue 9).
``--name-hint`` (Mandarin) hears the verification answers after the question that names the
debtor (``asr.hints.hint_for(name=...)``; measured and not used live: docs/nlu.md, session 7).
The JSON (``--json``) lists every true yes as heard (``yes_answers``: words, confidence, NLU,
verified at the first answer or not).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import sys
import time
from datetime import UTC, date, datetime
from datetime import time as dt_time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.dialogue import LANGS, CallAnswered, Lang, UtteranceHeard
from core.logging import configure_logging
from nlu.classifier import IntentClassifier
from nlu.evaluation import evaluate_intents
from nlu.parser import NluParser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.verification import plausible_yes
from nlu.settings import NluSettings
from nlu.training_data import load_split
from simulation.spoken.channel import ChannelParams
from simulation.spoken.corpus import default_path, load_corpus
from simulation.spoken.evaluate import BenchResult, line_noise, run_benchmark
from simulation.spoken.metrics import (
    AFFIRM_THRESHOLDS,
    VERIFICATION_NON_ANSWERS,
    Figures,
    Outcome,
    confusions,
    figures,
)
from simulation.spoken.render import SpokenPipeline, timed
from simulation.spoken.stage_hints import prompt_of
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


def _answers(lang: Lang, today: date, answers: list[Outcome], *, second_yes: bool = True) -> bool:
    """Would the policy verify after these answers to "is this {name}?" (verification by name,
    each parse carrying its recogniser confidence, as on a live call)? ``second_yes=False``:
    as the policy was without the second-yes rule (a plausible "yes" is forgotten)."""
    facts = dataclasses.replace(demo_case(lang), verification=VerificationMode.NAME)
    state = start(facts, load_script(lang), today)
    state, _ = decide(state, CallAnswered(datetime.combine(today, dt_time(4), tzinfo=UTC)))
    for o in answers:
        state, _ = decide(state, UtteranceHeard(o.transcript, lang, o.parse))
        state = state if second_yes else dataclasses.replace(state, weak_yes=False)
        if state.verified or state.ended:
            break
    return state.verified


def second_yes(result: BenchResult, today: date) -> dict[str, object]:
    """A second "yes" (docs/nlu.md): per voice, each true affirmation answered first and the
    next one of the corpus (another wording) answered to the re-asked question; and every
    ordered pair of verification non-answers of that voice (a stranger answering twice). Also
    the sweep the recogniser bar of the second yes was chosen from."""
    lang: Lang = "zh" if result.lang == "zh" else "en"
    name = demo_case(lang).debtor_name
    first = by_second = alone = same = same_alone = pairs = strangers = 0
    sweep_yes: list[float] = []
    sweep_no: list[float] = []
    for outcomes in result.by_voice().values():
        yes = [o for o in outcomes if o.utterance.intent == "affirm"]
        no = [o for o in outcomes if o.utterance.intent in VERIFICATION_NON_ANSWERS]
        for i, o in enumerate(yes):
            again = yes[(i + 1) % len(yes)]
            first += _answers(lang, today, [o])
            by_second += _answers(lang, today, [o, again])
            alone += _answers(lang, today, [o, again], second_yes=False)
            # the same words said again (the same rendering: no variation at all)
            same += _answers(lang, today, [o, o])
            same_alone += _answers(lang, today, [o, o], second_yes=False)
        for a, b in itertools.product(no, repeat=2):
            pairs += 1
            strangers += _answers(lang, today, [a, b])
        for group, into in ((yes, sweep_yes), (no, sweep_no)):
            for o in group:  # plausible but for the recogniser's bar: its confidence
                loose = o.parse.heard_with(1.0)
                if plausible_yes(o.transcript, loose, lang, name):
                    into.append(o.parse.asr_confidence or 0.0)
    n_yes = sum(1 for o in result.spoken if o.utterance.intent == "affirm")
    if not n_yes:  # a corpus of promises alone (a held-out set of dates): nothing to verify
        print(f"second yes ({lang}): no yes line in the corpus")
        return {}
    print(
        f"second yes ({lang}): true yes verified at the first answer {_pct(first / n_yes)}, "
        f"by the second {_pct(by_second / n_yes)} (without the rule: {_pct(alone / n_yes)}; "
        f"n={n_yes}); the same words again: {_pct(same / n_yes)} (without the rule: "
        f"{_pct(same_alone / n_yes)}); stranger pairs verified "
        f"{strangers}/{pairs} ({_pct(strangers / pairs if pairs else math.nan).strip()})"
    )
    for floor in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        yes_ok = sum(c >= floor for c in sweep_yes)
        no_ok = sum(c >= floor for c in sweep_no)
        print(
            f"  recogniser bar {floor:.2f}: true yes plausible {yes_ok}/{n_yes}, "
            f"non-answers plausible {no_ok} (max non-answer conf "
            f"{max(sweep_no, default=0.0):.2f})"
        )
    return {
        "first": first / n_yes,
        "by_second": by_second / n_yes,
        "by_second_alone": alone / n_yes,
        "same_again": same / n_yes,
        "same_again_alone": same_alone / n_yes,
        "stranger_pairs": pairs,
        "stranger_pairs_verified": strangers,
    }


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


def _entity_misses(outcomes: tuple[Outcome, ...]) -> list[dict[str, str]]:
    """Amounts and dates said but not (or wrongly) read, with what was heard."""
    missed = []
    for o in outcomes:
        u = o.utterance
        if u.amount is not None and not o.amount_ok:
            got = o.parse.amount
            missed.append({"entity": "amount", "text": u.text, "voice": o.voice,
                           "heard": o.transcript, "expected": str(u.amount),
                           "got": "-" if got is None else str(got.value)})  # fmt: skip
        if u.date is not None and not o.date_ok:
            day = o.parse.date
            missed.append({"entity": "date", "text": u.text, "voice": o.voice,
                           "heard": o.transcript, "expected": str(u.date),
                           "got": "-" if day is None else str(day.value)})  # fmt: skip
    return missed


def _yes_answers(outcomes: tuple[Outcome, ...]) -> list[dict[str, object]]:
    """Every true "yes, it's me" as heard: its words, the recogniser's confidence, and whether
    the policy verified it at the first answer (what asks real debtors again)."""
    return [
        {
            "text": o.utterance.text,
            "voice": o.voice,
            "heard": o.transcript,
            "confidence": o.parse.asr_confidence,
            "nlu": f"{o.parse.intent} {o.parse.confidence:.2f}",
            "verified": o.policy_verified,
        }
        for o in outcomes
        if o.utterance.intent == "affirm"
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
    args.add_argument("--intents", help="only the lines of these intents, comma-separated")
    args.add_argument("--noise-clips", type=int, default=24, help="line-noise-only clips")
    args.add_argument(
        "--held-out", action="store_true", help="also the NLU's held-out splits and *_asr twins"
    )
    args.add_argument("--json", type=Path, help="write figures and misses as JSON here")
    args.add_argument(
        "--corpus",
        type=Path,
        help="another corpus file of one language (same format), e.g. a held-out set",
    )
    args.add_argument(
        "--stage-hints",
        action="store_true",
        help="hear each line with the English stage hint of its question (simulation/spoken/"
        "stage_hints.py) instead of the domain prompt alone",
    )
    args.add_argument(
        "--no-second",
        action="store_true",
        help="the first decode alone (no second opinion: asr/second_opinion.py), as before it",
    )
    args.add_argument(
        "--name-hint",
        action="store_true",
        help="hear the verification answers after the question that names the debtor "
        "(asr.hints.hint_for(name=...); the line-noise clips too)",
    )
    opts = args.parse_args()
    configure_logging(level="INFO")  # no per-utterance debug lines (they carry transcripts)
    channel = ChannelParams(snr_db=opts.snr, loss_rate=opts.loss)
    settings = NluSettings()
    parser = NluParser(IntentClassifier.build(settings), threshold=settings.threshold)
    print(f"channel: {channel.key}; seed {opts.seed}; NLU backend {parser.classifier.backend}")
    out: dict[str, object] = {}
    for lang in LANGS if opts.lang == "all" else (opts.lang,):
        corpus = load_corpus(opts.corpus or default_path(lang))
        if corpus.lang != lang:
            sys.exit(f"{opts.corpus} is {corpus.lang}, not {lang}: pass --lang {corpus.lang}")
        wanted = set(opts.intents.split(",")) if opts.intents else None
        chosen = [u for u in corpus.utterances if wanted is None or u.intent in wanted]
        step = max(1, len(chosen) // opts.limit) if opts.limit else 1
        utterances = chosen[::step][: opts.limit or None]
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
        named = demo_case(lang).debtor_name if opts.name_hint else None
        hints = prompt_of(utterances, lang) if opts.stage_hints and lang == "en" else None
        result = run_benchmark(
            corpus, utterances, voices, pipeline, parser, opts.workers, timed(lang), hints,
            second_opinion=not opts.no_second,
            name=named,
        )  # fmt: skip
        print(f"{lang}: rendered and parsed in {time.perf_counter() - started:.0f} s")
        print(
            f"second opinion: {result.gated}/{len(result.spoken)} renderings gated "
            f"({_pct(result.gated / max(1, len(result.spoken))).strip()})"
        )
        noise = line_noise(corpus, parser, opts.noise_clips, opts.seed, named)
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
            "second_yes": second_yes(result, corpus.today),
            "misses": _misses(result.spoken),
            "entity_misses": _entity_misses(result.spoken),
            "clean_entity_misses": _entity_misses(result.clean),
            "clean_misses": _misses(result.clean),
            "yes_answers": _yes_answers(result.spoken),
        }
    if opts.json:
        opts.json.write_text(
            json.dumps(out, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
