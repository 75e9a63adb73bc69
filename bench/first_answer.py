"""First-answer benchmark (issue 9, asr6): "is this {name}?" answered through speech.

Each line of ``bench/data/first_answer_<lang>_asr6.yml`` (right-party yeses said every way, and
strangers, relatives, questions, hallucinations) is spoken by every shipped voice of its
language, sent through the telephone line and heard as a live call hears it at the verification
question (``simulation.spoken.evaluate.run_benchmark``: the stage's hint, the English second
decode, the Mandarin prompt check; renderings cached). The product's NLU and policy then take it
as the first answer, under verification by name alone (``name``: a yes leads to the disclosure)
and the stricter setting (``name+year``: a yes leads to the birth-year question). Printed per
language, engine and setting: right-party yeses verified at the first answer (``name+year``:
passed to the second factor), asked again, and strangers verified (must stay 0).

``--hint TEXT`` hears every line after the domain prompt and TEXT (``{name}``: the debtor's
name) instead of the live hint; ``--name-hint`` the live hint with the debtor's name
(``asr.hints.hint_for(name=...)``); ``--fallback`` also counts the yeses asked again whose second
hearing alone (the neutral / second decoder's words) would verify, and the strangers it would
verify. ``--noise N``: N seeded line-noise clips heard with the same context, none may verify.
``--corpus FILE``: the answers to the identity question of another set (e.g. the calibration
set ``bench/data/spoken_en.yml`` with ``--rates 0.85,1.0,1.2``; the Mandarin held-out set of
session 11 is ``bench/heldout/first_answer_zh_zh8.yml``). ``--then "对，是我|是|我就是"``: every
yes asked again answers again with each of these lines (spoken by the same voice, heard with
the same hint), and every stranger asked again says their own line again; printed: what the bot
said when it asked again, yeses verified at the second answer and strangers verified (must
stay 0).

    PYTHONPATH=$PWD .venv/bin/python bench/first_answer.py --lang all --noise 24
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Literal

os.environ.setdefault("OMP_NUM_THREADS", "1")

from asr.base import RecognitionOptions
from asr.hints import hint_for
from core.dialogue import CallAnswered, Lang, Say, UtteranceHeard
from core.logging import configure_logging
from nlu.parser import NluParser, default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.state import DialogueState
from nlu.policy.state import Stage as DialogueStage
from simulation.spoken.channel import ChannelParams
from simulation.spoken.corpus import Corpus, Utterance, load_corpus
from simulation.spoken.evaluate import (
    BenchResult,
    after_first_answer,
    line_noise,
    run_benchmark,
    stage_for,
)
from simulation.spoken.metrics import Outcome
from simulation.spoken.render import SpokenPipeline, asr_settings, timed
from simulation.spoken.voices import Voice, voices_for

DATA = Path(__file__).parent / "data"
Verdict = Literal["verified", "asked_again", "other"]
MODES = {"name": VerificationMode.NAME, "name+year": VerificationMode.NAME_AND_BIRTH_YEAR}


def data_path(lang: str) -> Path:
    return DATA / f"first_answer_{lang}_asr6.yml"


def verdict(corpus: Corpus, heard: str, outcome: Outcome, mode: VerificationMode) -> Verdict:
    """What the policy does with ``heard`` as the first answer: ``verified`` (by name alone:
    verified; with a second factor: the name accepted, the factor asked), ``asked_again`` (still
    at the name question), ``other`` (ended, a third party, a wrong number ...)."""
    state = after_first_answer(corpus.lang, corpus.today, heard, outcome.parse, mode, corpus.debtor)
    if state.verified or state.disclosed or state.stage is DialogueStage.VERIFY_SECOND:
        return "verified"
    return "asked_again" if state.stage is DialogueStage.VERIFY_NAME else "other"


def answered(
    corpus: Corpus, heard: Sequence[Outcome], mode: VerificationMode
) -> tuple[DialogueState, list[str]]:
    """The policy after the answers ``heard`` to "is this {name}?", and what the bot said after
    the last one."""
    facts = dataclasses.replace(demo_case(corpus.lang), verification=mode)
    if corpus.debtor is not None:  # the corpus names whom the question asks for
        facts = dataclasses.replace(facts, debtor_name=corpus.debtor)
    state = start(facts, load_script(corpus.lang), corpus.today)
    moment = datetime.combine(corpus.today, time(4, 0), tzinfo=UTC)
    state, commands = decide(state, CallAnswered(moment))
    for o in heard:
        state, commands = decide(state, UtteranceHeard(o.transcript, corpus.lang, o.parse))
    return state, [c.text for c in commands if isinstance(c, Say)]


def state_verdict(state: DialogueState) -> Verdict:
    if state.verified or state.disclosed or state.stage is DialogueStage.VERIFY_SECOND:
        return "verified"
    return "asked_again" if state.stage is DialogueStage.VERIFY_NAME else "other"


def score_then(
    corpus: Corpus, outcomes: Sequence[Outcome], answers: Sequence[Outcome], show: bool
) -> None:
    """Yeses asked again that answer again with each line of ``answers`` (same voice), and
    strangers asked again who say their own line again (by name alone)."""
    mode = VerificationMode.NAME
    asked = [o for o in outcomes if state_verdict(answered(corpus, [o], mode)[0]) == "asked_again"]
    for line, n in Counter(" ".join(answered(corpus, [o], mode)[1]) for o in asked).items():
        print(f"     asked again ({n}): {line}")
    yes = [o for o in asked if o.utterance.intent == "affirm"]
    for text in dict.fromkeys(a.utterance.text for a in answers):
        by_voice = {a.voice: a for a in answers if a.utterance.text == text}
        got = Counter(state_verdict(answered(corpus, [o, by_voice[o.voice]], mode)[0]) for o in yes)
        heard = sorted({f"{a.transcript} {a.parse.asr_confidence}" for a in by_voice.values()})
        print(
            f"     then {text!r} (heard {heard}): of {len(yes)} yeses asked again,"
            f" verified {got['verified']}, asked again {got['asked_again']}"
        )
    strangers = [o for o in asked if o.utterance.intent != "affirm"]
    bad = [o for o in strangers if state_verdict(answered(corpus, [o, o], mode)[0]) == "verified"]
    print(f"     strangers asked again {len(strangers)}, saying it again verified {len(bad)}")
    for o in bad:
        print(f"     STRANGER VERIFIED TWICE {o.utterance.text!r} -> {o.transcript!r} ({o.voice})")


def candidate_prompt(
    lang: str, text: str | None, named: bool, debtor: str | None = None
) -> str | None:
    """The context every line is heard with: a candidate (``--hint``), the live hint with the
    debtor's name (``--name-hint``; ``debtor``, else the demo case's), or None (the live hint of
    the verification question)."""
    name = debtor or demo_case(lang).debtor_name  # type: ignore[arg-type]
    if text is not None:
        domain = asr_settings().default_prompt(lang) or ""
        return f"{domain}{text.format(name=name)}"
    return hint_for("verify", lang, name=name).prompt if named else None


def score(
    corpus: Corpus,
    engine: str,
    outcomes: Sequence[Outcome],
    seconds: dict[tuple[str, str], tuple[str, float | None]] | None,
    parser: NluParser,
    show: int,
) -> None:
    yes = [o for o in outcomes if o.utterance.intent == "affirm"]
    strangers = [o for o in outcomes if o.utterance.intent != "affirm"]
    for label, mode in MODES.items():
        got = Counter(verdict(corpus, o.transcript, o, mode) for o in yes)
        bad = [o for o in strangers if verdict(corpus, o.transcript, o, mode) == "verified"]
        extra = ""
        if seconds is not None:
            gained, risked = _fallback(corpus, yes, strangers, seconds, parser, mode)
            extra = f"  +fallback yes {len(gained)}, strangers {len(risked)}"
            shown = [*gained, *risked] if show and label == "name" else []
            for o in shown:
                said, (text, conf) = o.utterance.text, seconds[(o.utterance.text, o.voice)]
                print(f"     fallback {said!r}: {o.transcript!r} -> {text!r} ({conf}, {o.voice})")
        n = len(yes)
        print(
            f"{corpus.lang} {engine:10} {label:9} yes n={n:3} verified {got['verified']:3}"
            f" ({100 * got['verified'] / n:5.1f}%) asked again {got['asked_again']:3}"
            f" other {got['other']:2} | strangers n={len(strangers):3} verified {len(bad)}" + extra
        )
        for o in bad:
            print(f"     STRANGER VERIFIED {o.utterance.text!r} -> {o.transcript!r} ({o.voice})")
    for o in yes[:show] if show else ():
        if verdict(corpus, o.transcript, o, VerificationMode.NAME) != "verified":
            conf = o.parse.asr_confidence
            print(
                f"     {o.utterance.text!r} -> {o.transcript!r} "
                f"({o.parse.intent} {o.parse.confidence:.2f}, asr {conf}, {o.voice})"
            )


def _fallback(
    corpus: Corpus,
    yes: Sequence[Outcome],
    strangers: Sequence[Outcome],
    seconds: dict[tuple[str, str], tuple[str, float | None]],
    parser: NluParser,
    mode: VerificationMode,
) -> tuple[list[Outcome], list[Outcome]]:
    """Yeses asked again that the second hearing alone would verify, and strangers it would."""

    def second_verifies(o: Outcome) -> bool:
        text, conf = seconds[(o.utterance.text, o.voice)]
        parse = parser.parse(text, corpus.lang, corpus.today).heard_with(conf)
        heard = Outcome(o.utterance, o.voice, text, parse)
        return verdict(corpus, text, heard, mode) == "verified"

    gained = [
        o
        for o in yes
        if verdict(corpus, o.transcript, o, mode) == "asked_again" and second_verifies(o)
    ]
    return gained, [o for o in strangers if second_verifies(o)]


def run(lang: Lang, opts: argparse.Namespace) -> None:
    corpus = load_corpus(opts.corpus or data_path(lang))
    if opts.corpus is not None:  # another set: its answers to the identity question only
        kept = [u for u in corpus.utterances if stage_for(u) == "verify"]
        corpus = dataclasses.replace(corpus, utterances=tuple(kept))
    pipeline = SpokenPipeline(lang, ChannelParams())
    rates = tuple(float(r) for r in opts.rates.split(","))
    voices = voices_for(lang, rates, pipeline.engines)
    parser = default_parser()
    prompt = candidate_prompt(lang, opts.hint, opts.name_hint, corpus.debtor)
    prompt_of: Callable[[str], str | None] | None = (lambda _t: prompt) if prompt else None
    utterances = corpus.utterances
    result = run_benchmark(
        corpus, utterances, voices, pipeline, parser, opts.workers, timed(lang), prompt_of
    )
    seconds = None
    if opts.fallback:
        texts = [u.text for u in utterances]
        heard = pipeline.run(texts, voices, opts.workers, timed(f"{lang} 2nd"), second=True)
        seconds = {(r.text, r.voice.label): (r.transcript, r.confidence) for r in heard}
    context = "live hint" if prompt is None else f"prompt={prompt!r}"
    print(f"== {lang}: {len(utterances)} lines, {context}")
    answers = _then_heard(corpus, opts.then, voices, pipeline, parser, opts.workers)
    for engine, outcomes in sorted(result.by_engine().items()):
        score(corpus, engine, outcomes, seconds, parser, opts.show)
        if answers is not None:
            spoken = [a for a in answers.spoken if a.voice.split("@")[0] == engine]
            score_then(corpus, outcomes, spoken, opts.show > 0)
    if opts.noise:
        options = None if prompt is None else RecognitionOptions.of(lang, prompt, stage="verify")
        noise = line_noise(corpus, parser, opts.noise, seed=1000, options=options)
        words = [o.transcript for o in noise if o.transcript.strip()]
        verified = [o.transcript for o in noise if o.policy_verified]
        print(f"{lang} noise clips={opts.noise} heard as words {len(words)} {words}")
        print(f"{lang} noise verified {len(verified)} {verified}")


def _then_heard(
    corpus: Corpus,
    then: str | None,
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    parser: NluParser,
    workers: int,
) -> BenchResult | None:
    """The lines of ``--then`` spoken by every voice and heard as answers to "is this {name}?"."""
    if not then:
        return None
    lines = tuple(Utterance(text, "affirm") for text in then.split("|"))
    return run_benchmark(corpus, lines, voices, pipeline, parser, workers, timed("then"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--lang", choices=("en", "zh", "all"), default="all")
    ap.add_argument("--rates", default="1.0")
    ap.add_argument("--hint", help="a candidate verification context (after the domain prompt)")
    ap.add_argument("--name-hint", action="store_true")
    ap.add_argument("--fallback", action="store_true")
    ap.add_argument("--noise", type=int, default=0, help="line-noise clips (0: none)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=0, help="yeses listed when not verified")
    ap.add_argument("--then", help="next answers of a yes asked again, '|' between them")
    ap.add_argument("--corpus", type=Path, help="another set (spoken corpus format, one language)")
    opts = ap.parse_args()
    configure_logging(level="WARNING")
    langs: list[Lang] = ["en", "zh"] if opts.lang == "all" else [opts.lang]
    if opts.corpus is not None:
        langs = [load_corpus(opts.corpus).lang]
    for lang in langs:
        run(lang, opts)


if __name__ == "__main__":
    main()
