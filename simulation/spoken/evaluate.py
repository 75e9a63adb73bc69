"""The benchmark run: a corpus through every voice and the line, parsed by the product's NLU.

Parsing is not cached (the NLU changes more often than the audio); the renderings are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from asr.base import RecognitionOptions
from asr.whisper import WhisperRecognizer
from core.dialogue import CallAnswered, Lang, Parse, UtteranceHeard
from nlu.parser import NluParser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import Corpus, Utterance
from simulation.spoken.metrics import VERIFICATION_NON_ANSWERS, Outcome
from simulation.spoken.render import SYNTH_RATE, ProgressFn, SpokenPipeline, asr_settings
from simulation.spoken.voices import Voice

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


def policy_verifies(lang: Lang, today: date, transcript: str, parse: Parse) -> bool:
    """Would the product's policy take this as the right party's first answer to "is this
    {name}?" (verification by name only, the setting where a "yes" leads straight to the
    disclosure)? Computed through ``decide``, so a stricter policy shows here unchanged."""
    facts = dataclasses.replace(demo_case(lang), verification=VerificationMode.NAME)
    state = start(facts, load_script(lang), today)
    state, _ = decide(state, CallAnswered(datetime.combine(today, time(4, 0), tzinfo=UTC)))
    state, _ = decide(state, UtteranceHeard(transcript, lang, parse))
    return bool(state.verified or state.disclosed)


def outcome_of(
    corpus: Corpus,
    u: Utterance,
    voice: str,
    heard: str,
    confidence: float | None,
    parser: NluParser,
) -> Outcome:
    """Parse what was heard; ask the policy about verification answers (a non-answer that
    must not verify, or an affirmation that should) with the recogniser's ``confidence``
    attached as on the live call path (clean text: 1.0, as the text-only runs hear it)."""
    parse = _parse(parser, corpus, heard).heard_with(confidence)
    checked = None
    if u.intent in VERIFICATION_NON_ANSWERS or u.intent == "affirm":
        checked = policy_verifies(corpus.lang, corpus.today, heard, parse)
    return Outcome(u, voice, heard, parse, checked)


def run_benchmark(
    corpus: Corpus,
    utterances: Sequence[Utterance],
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    parser: NluParser,
    workers: int = 2,
    progress: ProgressFn | None = None,
    prompt_of: Callable[[str], str | None] | None = None,
) -> BenchResult:
    texts = [u.text for u in utterances]
    renderings = pipeline.run(texts, voices, workers, progress, prompt_of)
    by_text = {u.text: u for u in utterances}
    spoken = tuple(
        outcome_of(corpus, by_text[r.text], r.voice.label, r.transcript, r.confidence, parser)
        for r in renderings
    )
    clean = tuple(outcome_of(corpus, u, CLEAN, u.text, 1.0, parser) for u in utterances)
    return BenchResult(corpus.lang, tuple(voices), clean, spoken)


def line_noise(
    corpus: Corpus, parser: NluParser, clips: int = 24, seed: int = 0
) -> tuple[Outcome, ...]:
    """Nobody speaking: ``clips`` seeded stretches of line noise (-35 to -18 dBFS, 1-2.8 s),
    recognised and parsed as if they were an answer. Each one should be heard as nothing, or
    at least never as "yes, it's me" (Whisper hallucinates on noise)."""
    recogniser = WhisperRecognizer(asr_settings())
    options = RecognitionOptions.of(corpus.lang)
    outcomes: list[Outcome] = []
    for index in range(clips):
        level = (-35.0, -25.0, -18.0)[index % 3]
        seconds = 1.0 + (index % 4) * 0.6
        line = TelephoneChannel(ChannelParams(idle_dbfs=level))
        heard = line.transmit(bytes(int(SYNTH_RATE * seconds) * 2), SYNTH_RATE, seed + index)
        got = recogniser.transcribe_sync(heard.pcm, heard.rate, options)
        label = Utterance(f"<line noise {level:g} dBFS, {seconds:.1f} s>", "out_of_scope")
        outcomes.append(outcome_of(corpus, label, "line noise", got.text, got.confidence, parser))
    return tuple(outcomes)
