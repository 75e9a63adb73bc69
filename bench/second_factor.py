"""Second-factor benchmark (issue 9, asr5): the birth year and the ID's last four digits, heard.

Each answer of ``bench/data/second_factor_asr5.yml`` (a year, or the ID's last four digits) is
spoken by every shipped voice of its language, sent through the telephone line
(``simulation.spoken``, cached renderings) and heard as a live call hears it at the question
(``simulation.spoken.evaluate.heard_live``: the English second decode, the Mandarin prompt
check), under two contexts: ``before`` (the year heard with the hint of the "verify" stage, the
ID digits with the domain prompt: the mapping before asr5) and ``after`` (``asr.hints.stage_of``
of the question's prompt key today). The product's NLU and policy then answer it at the second
factor with the record holding that year or those digits. Printed per language, context and
kind: the share verified at the first answer, the share the policy counts as a wrong factor
(a failure: two end the call) and the share asked again. ``--fallback`` also counts the answers
that name no factor-shaped digits as heard by the second decoder (the "second decode when the
first names no year" experiment). The noise guard: ``--noise`` seeded line-noise clips heard
with each context must come out as no digits at all.

    PYTHONPATH=$PWD .venv/bin/python bench/second_factor.py --lang all --noise 24
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Literal

os.environ.setdefault("OMP_NUM_THREADS", "1")

import yaml

from asr.hints import Stage, hint_for, stage_of
from asr.second_opinion import product_recognizer
from asr.settings import AsrSettings
from core.dialogue import CallAnswered, Lang, UtteranceHeard
from core.logging import configure_logging
from nlu.parser import NluParser, default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.common import spoken_digits
from nlu.policy.state import DialogueState
from nlu.policy.state import Stage as DialogueStage
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import Utterance
from simulation.spoken.evaluate import heard_live
from simulation.spoken.render import (
    SYNTH_RATE,
    Rendering,
    SpokenPipeline,
    asr_settings,
    timed,
)
from simulation.spoken.voices import voices_for

Kind = Literal["year", "last4"]
DATA = Path(__file__).parent / "data" / "second_factor_asr5.yml"
TODAY = date(2026, 12, 7)
NAME_YES = {"en": "yes this is john", "zh": "对，我是李明"}
PROMPT_KEY: dict[Kind, str] = {"year": "ask_birth_year", "last4": "ask_id_last4"}
BEFORE: dict[Kind, Stage] = {"year": "verify", "last4": "open"}  # the mapping before asr5
Verdict = Literal["verified", "failed", "asked_again"]


def at_second_factor(lang: Lang, kind: Kind, value: str, parser: NluParser) -> DialogueState:
    """The policy after the name was confirmed, the record holding ``value``."""
    mode = (
        VerificationMode.NAME_AND_BIRTH_YEAR
        if kind == "year"
        else VerificationMode.NAME_AND_ID_LAST4
    )
    facts = dataclasses.replace(
        demo_case(lang),
        verification=mode,
        birth_year=int(value) if kind == "year" else None,
        id_last4=value if kind == "last4" else None,
    )
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(_noon()))
    yes = parser.parse(NAME_YES[lang], lang, TODAY).heard_with(0.95)
    state, _ = decide(state, UtteranceHeard(NAME_YES[lang], lang, yes))
    if state.stage is not DialogueStage.VERIFY_SECOND:
        raise RuntimeError(f"not at the second factor: {state.stage}")
    return state


def _noon() -> datetime:
    return datetime.combine(TODAY, time(4), tzinfo=UTC)


def verdict(state: DialogueState, text: str, conf: float | None, parser: NluParser) -> Verdict:
    lang = state.facts.lang
    parse = parser.parse(text, lang, TODAY).heard_with(conf)
    after, _ = decide(state, UtteranceHeard(text, lang, parse))
    if after.verified:
        return "verified"
    return (
        "failed" if after.verify_failures > state.verify_failures or after.ended else "asked_again"
    )


def _always(prompt: str | None) -> Callable[[str], str | None]:
    def of(_text: str) -> str | None:
        return prompt

    return of


def _prompt(stage: Stage, lang: str, candidate: str | None) -> str | None:
    if candidate is not None and stage in (
        "second_factor",
        "id_last4",
    ):  # --hint: a candidate, measured
        return f"{AsrSettings().default_prompt(lang) or ''}{candidate}"
    return hint_for(stage, lang).prompt


def run(lang: Lang, context: str, opts: argparse.Namespace) -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))[lang]
    pipeline = SpokenPipeline(lang, ChannelParams())
    rates = tuple(float(r) for r in opts.rates.split(","))
    voices = voices_for(lang, rates, pipeline.engines)
    for kind in ("year", "last4"):
        items = [(str(i["text"]), str(i["value"])) for i in data[kind]]
        stage = BEFORE[kind] if context == "before" else stage_of(PROMPT_KEY[kind])
        prompt = _prompt(stage, lang, opts.hint)
        texts = [t for t, _ in items]
        label = f"{lang} {kind} {context}"
        first = pipeline.run(texts, voices, opts.workers, timed(label), _always(prompt))
        second = pipeline.run(texts, voices, opts.workers, timed(f"{label} 2nd"), None, True)
        heard = [first[i : i + len(voices)] for i in range(0, len(first), len(voices))]
        again = [second[i : i + len(voices)] for i in range(0, len(second), len(voices))]
        _score(lang, kind, f"{context:6} stage={stage:13}", items, heard, again, prompt, opts)


def _score(
    lang: Lang,
    kind: Kind,
    label: str,
    items: list[tuple[str, str]],
    heard: list[list[Rendering]],
    again: list[list[Rendering]],
    prompt: str | None,
    opts: argparse.Namespace,
) -> None:
    parser = default_parser()
    settings = asr_settings()
    stage = BEFORE[kind] if label.startswith("before") else stage_of(PROMPT_KEY[kind])
    counts: dict[str, int] = {"verified": 0, "failed": 0, "asked_again": 0, "fallback": 0}
    misses: list[str] = []
    for (text, value), firsts, seconds in zip(items, heard, again, strict=True):
        for f, s in zip(firsts, seconds, strict=True):
            got, _ = heard_live(f, s, Utterance(text, "affirm"), settings, prompt, stage)
            state = at_second_factor(lang, kind, value, parser)
            v = verdict(state, got.text, got.confidence, parser)
            counts[v] += 1
            if v == "verified":
                continue
            misses.append(f"{text!r} -> {got.text!r} ({v}, {f.voice.label})")
            no_digits = not spoken_digits(got.text, lang)
            if (
                opts.fallback
                and no_digits
                and verdict(state, s.transcript, s.confidence, parser) == "verified"
            ):
                counts["fallback"] += 1
    n = sum(len(h) for h in heard)
    print(
        f"{lang} {kind:5} {label} n={n:3}  verified {counts['verified']:3}"
        f" ({100 * counts['verified'] / n:5.1f}%)  failed {counts['failed']:3}"
        f"  asked again {counts['asked_again']:3}"
        + (f"  +fallback {counts['fallback']}" if opts.fallback else "")
    )
    for m in misses[: opts.show]:
        print("    ", m)


def noise(lang: Lang, clips: int) -> None:
    """Line noise heard with each context: any digits out of it is a failure of the guard."""
    recogniser = product_recognizer(asr_settings())
    for stage in ("verify", "open", "second_factor", "id_last4"):
        options = hint_for(stage, lang).options()
        bad: list[str] = []
        for index in range(clips):
            level = (-35.0, -25.0, -18.0)[index % 3]
            seconds = 1.0 + (index % 4) * 0.6
            line = TelephoneChannel(ChannelParams(idle_dbfs=level))
            audio = line.transmit(bytes(int(SYNTH_RATE * seconds) * 2), SYNTH_RATE, 1000 + index)
            got = asyncio.run(recogniser.transcribe(audio.pcm, audio.rate, options))
            if got.text.strip():
                bad.append(f"{got.text!r}{' DIGITS' if spoken_digits(got.text, lang) else ''}")
        print(f"{lang} noise stage={stage:13} clips={clips} non-empty={len(bad)}: {bad}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--lang", choices=("en", "zh", "all"), default="all")
    ap.add_argument("--rates", default="1.0")
    ap.add_argument("--fallback", action="store_true")
    ap.add_argument("--noise", type=int, default=0, help="line-noise clips per stage (0: none)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=40, help="misses printed per row")
    ap.add_argument("--hint", help="a candidate second-factor prompt (after the domain prompt)")
    opts = ap.parse_args()
    configure_logging(level="WARNING")
    langs: list[Lang] = ["en", "zh"] if opts.lang == "all" else [opts.lang]
    for lang in langs:
        for context in ("before", "after"):
            run(lang, context, opts)
        if opts.noise:
            noise(lang, opts.noise)


if __name__ == "__main__":
    main()
