"""The benchmark run: a corpus through every voice and the line, parsed by the product's NLU.

Parsing is not cached (the NLU changes more often than the audio); the renderings are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.dialogue import Parse
from ivr.spoken.corpus import Corpus, Utterance
from ivr.spoken.metrics import Outcome
from ivr.spoken.render import ProgressFn, SpokenPipeline
from ivr.spoken.voices import Voice
from nlu.parser import NluParser

CLEAN = "clean text"


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Outcomes on the written text (``clean``) and through every voice (``spoken``)."""

    lang: str
    voices: tuple[Voice, ...]
    clean: tuple[Outcome, ...]
    spoken: tuple[Outcome, ...]

    def by_voice(self) -> dict[str, list[Outcome]]:
        grouped: dict[str, list[Outcome]] = {v.label: [] for v in self.voices}
        for outcome in self.spoken:
            grouped[outcome.voice].append(outcome)
        return grouped

    def by_engine(self) -> dict[str, list[Outcome]]:
        grouped: dict[str, list[Outcome]] = {}
        for outcome in self.spoken:
            grouped.setdefault(outcome.voice.split("@")[0], []).append(outcome)
        return grouped


def _parse(parser: NluParser, corpus: Corpus, text: str) -> Parse:
    return parser.parse(text, corpus.lang, corpus.today)


def run_benchmark(
    corpus: Corpus,
    utterances: Sequence[Utterance],
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    parser: NluParser,
    workers: int = 2,
    progress: ProgressFn | None = None,
) -> BenchResult:
    texts = [u.text for u in utterances]
    renderings = pipeline.run(texts, voices, workers=workers, progress=progress)
    by_text = {u.text: u for u in utterances}
    spoken = tuple(
        Outcome(by_text[r.text], r.voice.label, r.transcript, _parse(parser, corpus, r.transcript))
        for r in renderings
    )
    clean = tuple(Outcome(u, CLEAN, u.text, _parse(parser, corpus, u.text)) for u in utterances)
    return BenchResult(corpus.lang, tuple(voices), clean, spoken)
