"""The second opinion against the recogniser bars of verification: calibrate on one set, report on
another.

Every verification answer of a corpus (true yeses; deny, who-is-this, wrong number, third party,
noise) is spoken by the shipped voices through the telephone line and heard as a live call hears
it (``simulation.spoken.evaluate.heard_live``: the same renderings and cache as
``bench/spoken_nlu.py``), once without the second opinion and once with it (and with other
agreement thresholds, ``--agree``). For each: the true yeses the policy verifies at the first
answer (``decide``, verification by name, as the spoken benchmark does), the non-answers it
verifies, and the sweep the bars are read off: per recogniser bar, how many true yeses and
non-answers would pass ``confident_yes`` (first answer) / ``plausible_yes`` (second yes) with their
words and the combined confidence.

    nice -n 19 .venv/bin/python bench/second_opinion_calibration.py --lang en
    D=tests/unit/nlu/data; nice -n 19 .venv/bin/python bench/second_opinion_calibration.py \
        --lang en --corpus $D/en_unseen_speech.yml,$D/en_unseen_speech_round2.yml

A corpus file is the spoken benchmark's format or the held-out ``lines:`` format.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

import yaml

os.environ.setdefault("OMP_NUM_THREADS", "1")

from core.dialogue import Lang
from core.logging import configure_logging
from nlu.classifier import IntentClassifier
from nlu.parser import NluParser
from nlu.policy import demo_case
from nlu.policy.verification import (
    ASR_MIN_CONFIDENCE,
    SECOND_YES_ASR_MIN,
    confident_yes,
    plausible_yes,
)
from nlu.settings import NluSettings
from simulation.spoken.channel import ChannelParams
from simulation.spoken.corpus import Corpus, Utterance, default_path, load_corpus, parse_corpus
from simulation.spoken.evaluate import heard_live, live_hint, outcome_of
from simulation.spoken.metrics import VERIFICATION_NON_ANSWERS, Outcome
from simulation.spoken.render import SpokenPipeline, asr_settings
from simulation.spoken.voices import voices_for

BARS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
DEFAULT_RATES = {"en": "0.85,1.0,1.2", "zh": "0.9,1.15"}


def load_any(path: Path, lang: str) -> Corpus:
    """The benchmark's corpus format, or the held-out ``lines: [{text, intent}]`` format."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "lines" not in raw:
        return load_corpus(path)
    grouped: dict[str, list[str]] = {}
    for line in raw["lines"]:
        grouped.setdefault(line["intent"], []).append(line["text"])
    text = yaml.safe_dump({"lang": lang, "today": raw["today"], "utterances": grouped})
    return parse_corpus(text, str(path))


def _eligible(o: Outcome, lang: str, name: str, first: bool) -> float | None:
    """The combined confidence of a rendering whose words would pass (``first``: alone, else as
    one of two) if the recogniser vouched for them; None when its words do not pass."""
    loose = o.parse.heard_with(1.0)
    check = confident_yes if first else plausible_yes
    return (o.parse.asr_confidence or 0.0) if check(o.transcript, loose, lang, name) else None


def report(label: str, outcomes: list[Outcome], lang: Lang) -> None:
    name = demo_case(lang).debtor_name
    yes = [o for o in outcomes if o.utterance.intent == "affirm"]
    no = [o for o in outcomes if o.utterance.intent in VERIFICATION_NON_ANSWERS]
    verified = sum(bool(o.policy_verified) for o in yes)
    leaked = sum(bool(o.policy_verified) for o in no)
    print(
        f"\n{label}: true yes verified at the first answer {verified}/{len(yes)} "
        f"({100 * verified / max(1, len(yes)):.1f}%); non-answers verified {leaked}/{len(no)}"
    )
    for first, bar_now, what in (
        (True, ASR_MIN_CONFIDENCE[lang], "first answer"),
        (False, SECOND_YES_ASR_MIN[lang], "second yes"),
    ):
        yes_c = [c for o in yes if (c := _eligible(o, lang, name, first)) is not None]
        no_c = sorted(
            ((c, o) for o in no if (c := _eligible(o, lang, name, first)) is not None),
            key=lambda x: -x[0],
        )
        sweep = "  ".join(
            f"{bar:.2f}:{sum(c >= bar for c in yes_c)}/{sum(c >= bar for c, _ in no_c)}"
            for bar in BARS
        )
        print(f"  {what} (bar now {bar_now}) yes/non-answers passing per bar: {sweep}")
        for c, o in no_c[:3]:
            print(f"    non-answer passing by words: {c:.2f} {o.voice} {o.utterance.text!r} "
                  f"heard {o.transcript!r}")  # fmt: skip


def main() -> None:
    args = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    args.add_argument("--lang", choices=["en", "zh"], default="en")
    args.add_argument("--corpus", help="corpus files, comma-separated (default: the benchmark's)")
    args.add_argument("--engines", help="only these TTS engines, comma-separated")
    args.add_argument("--rates")
    args.add_argument(
        "--variants",
        default="",
        help="also these settings, ';'-separated, e.g. 'second_agree=0.6;second_raise_from=0'",
    )
    args.add_argument("--workers", type=int, default=2)
    opts = args.parse_args()
    configure_logging(level="WARNING")
    lang: Lang = "zh" if opts.lang == "zh" else "en"
    paths = [Path(p) for p in opts.corpus.split(",")] if opts.corpus else [default_path(lang)]
    corpora = [load_any(p, lang) for p in paths]
    wanted = VERIFICATION_NON_ANSWERS | {"affirm"}
    utterances = [u for c in corpora for u in c.utterances if u.intent in wanted]
    corpus = dataclasses.replace(corpora[0], utterances=tuple(utterances))
    pipeline = SpokenPipeline(lang, ChannelParams(), 0)
    rates = tuple(float(r) for r in (opts.rates or DEFAULT_RATES[lang]).split(","))
    voices = voices_for(lang, rates, pipeline.engines)
    if opts.engines:
        voices = [v for v in voices if v.engine in opts.engines.split(",")]
    texts = [u.text for u in utterances]
    firsts = pipeline.run(texts, voices, opts.workers, None, live_hint(utterances, lang))
    seconds = pipeline.run(texts, voices, opts.workers, None, second=True)
    settings = NluSettings()
    parser = NluParser(IntentClassifier.build(settings), threshold=settings.threshold)
    by_text = {u.text: u for u in utterances}
    live = asr_settings()
    off = live.model_copy(update={"second_neutral": False, "second_languages": frozenset()})
    variants = [
        ("before (no second opinion)", off),
        (f"second opinion ({live.second_agree=}, {live.second_raise_from=})", live),
    ]
    for spec in (v for v in opts.variants.split(";") if v):
        key, value = spec.split("=")
        variants.append((f"second opinion, {spec}", live.model_copy(update={key: float(value)})))
    print(f"{lang}: {len(utterances)} lines x {len(voices)} voices from {[str(p) for p in paths]}")
    for label, asr in variants:
        outcomes = []
        for first, second in zip(firsts, seconds, strict=True):
            u: Utterance = by_text[first.text]
            heard, _ = heard_live(first, second, u, asr)
            outcomes.append(
                outcome_of(corpus, u, first.voice.label, heard.text, heard.confidence, parser)
            )
        report(label, outcomes, lang)
        for engine in sorted({v.engine for v in voices}):
            report(f"  {engine}", [o for o in outcomes if o.voice.startswith(engine)], lang)


if __name__ == "__main__":
    main()
