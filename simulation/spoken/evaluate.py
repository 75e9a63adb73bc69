"""The benchmark run: a corpus through every voice and the line, parsed by the product's NLU.

Parsing is not cached (the NLU changes more often than the audio); the renderings are.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from asr.base import RecognitionOptions, Transcript
from asr.day_opinion import with_neutral_day
from asr.hints import Stage, hint_for
from asr.prompt_check import MIN_AGREEMENT as PROMPT_CHECK_MIN
from asr.prompt_check import checked
from asr.second_opinion import (
    gated_by_hearing,
    gated_by_stage,
    product_recognizer,
    settle,
)
from asr.settings import AsrSettings
from core.dialogue import CallAnswered, Lang, Parse, UtteranceHeard
from nlu.parser import NluParser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.state import DialogueState
from simulation.spoken.channel import ChannelParams, TelephoneChannel
from simulation.spoken.corpus import Corpus, Utterance
from simulation.spoken.metrics import VERIFICATION_NON_ANSWERS, Outcome
from simulation.spoken.render import (
    SYNTH_RATE,
    ProgressFn,
    Rendering,
    SpokenPipeline,
    asr_settings,
)
from simulation.spoken.voices import Voice

CLEAN = "clean text"


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Outcomes on the written text (``clean``) and through every voice (``spoken``)."""

    lang: str
    voices: tuple[Voice, ...]
    clean: tuple[Outcome, ...]
    spoken: tuple[Outcome, ...]
    gated: int = 0  # renderings the live gate gave a second decode

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


def after_first_answer(
    lang: Lang,
    today: date,
    transcript: str,
    parse: Parse,
    mode: VerificationMode = VerificationMode.NAME,
    debtor: str | None = None,
) -> DialogueState:
    """The product's policy after ``transcript`` was heard as the first answer to "is this
    {name}?" under verification ``mode`` (through ``decide``, so a stricter policy shows);
    ``debtor``: the name asked for, else the demo case's."""
    facts = dataclasses.replace(demo_case(lang), verification=mode)
    if debtor is not None:
        facts = dataclasses.replace(facts, debtor_name=debtor)
    state = start(facts, load_script(lang), today)
    state, _ = decide(state, CallAnswered(datetime.combine(today, time(4, 0), tzinfo=UTC)))
    state, _ = decide(state, UtteranceHeard(transcript, lang, parse))
    return state


def policy_verifies(lang: Lang, today: date, transcript: str, parse: Parse) -> bool:
    """Would the product's policy take this as the right party's first answer to "is this
    {name}?" (verification by name only, the setting where a "yes" leads straight to the
    disclosure)? Computed through ``decide``, so a stricter policy shows here unchanged."""
    state = after_first_answer(lang, today, transcript, parse)
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


def stage_for(u: Utterance) -> Stage:
    """The question a corpus line is heard as answering on a live call: the verification
    answers (yes and every verification non-answer) "is this {name}?", the rest "when and how
    much can you pay?"."""
    return "verify" if u.intent == "affirm" or u.intent in VERIFICATION_NON_ANSWERS else "promise"


def heard_live(
    first: Rendering,
    second: Rendering | None,
    u: Utterance,
    settings: AsrSettings,
    prompt: str | None = None,
    stage: Stage | None = None,
) -> tuple[Transcript, bool]:
    """What the live recogniser (``asr.second_opinion.product_recognizer``) returns for this
    rendering: English, the second hearing combined in where the live gate runs the second
    decode; Mandarin, the prompt check against the neutral hearing (``asr.prompt_check``).
    ``prompt``: the context the first hearing had (None: the hint of the line's question).
    ``stage``: the question answered (None: the one of the line, ``stage_for``).
    Returns the hearing and whether it took a second decode."""
    lang = first.voice.language
    stage = stage or stage_for(u)
    options = RecognitionOptions.of(lang, stage=stage)
    heard = Transcript(first.transcript, lang, True, 0, confidence=first.confidence)
    if second is None or heard.is_empty:
        return heard, False
    other = Transcript(second.transcript, lang, True, 0, confidence=second.confidence)
    if lang == "zh":
        hint = prompt or hint_for(stage, lang, settings).prompt
        context = hint or settings.default_prompt(lang) or ""
        kept = checked(heard, other, PROMPT_CHECK_MIN, settings, context)
        return with_neutral_day(kept, other, stage), True
    if not (gated_by_stage(options, settings) or gated_by_hearing(heard, options, settings)):
        return heard, False
    return settle(heard, other, options, settings), True


def live_hint(
    utterances: Sequence[Utterance], lang: str, name: str | None = None
) -> Callable[[str], str | None] | None:
    """The recogniser's context a live call uses for each line: Mandarin hears the answer with
    the hint of the question (``asr.hints``); English hints are all the domain prompt; with the
    debtor's ``name``, the verification answers are heard after the question that names them."""
    if lang != "zh" and not name:
        return None
    by_text = {u.text: hint_for(stage_for(u), lang, name=name).prompt for u in utterances}
    return by_text.get


def run_benchmark(
    corpus: Corpus,
    utterances: Sequence[Utterance],
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    parser: NluParser,
    workers: int = 2,
    progress: ProgressFn | None = None,
    prompt_of: Callable[[str], str | None] | None = None,
    second_opinion: bool = True,
    name: str | None = None,
) -> BenchResult:
    """Every line through every voice, heard as a live call hears it: the question's hint and
    the second decode where the live recogniser makes one (``second_opinion`` False: as the live
    recogniser was before the second opinion: English the first decode alone, Mandarin the
    prompt check without the confidence combination)."""
    texts = [u.text for u in utterances]
    hints = prompt_of or live_hint(utterances, corpus.lang, name)
    renderings = pipeline.run(texts, voices, workers, progress, hints)
    settings = asr_settings()
    if not second_opinion:
        settings = settings.model_copy(update={"second_neutral": False, "second_languages": set()})
    second = corpus.lang == "zh" or corpus.lang in settings.second_languages
    seconds = pipeline.run(texts, voices, workers, progress, second=True) if second else []
    by_text = {u.text: u for u in utterances}
    spoken: list[Outcome] = []
    gated = 0
    for index, r in enumerate(renderings):
        u = by_text[r.text]
        prompt = hints(r.text) if hints else None
        heard, used = heard_live(r, seconds[index] if seconds else None, u, settings, prompt)
        gated += used
        spoken.append(outcome_of(corpus, u, r.voice.label, heard.text, heard.confidence, parser))
    clean = tuple(outcome_of(corpus, u, CLEAN, u.text, 1.0, parser) for u in utterances)
    return BenchResult(corpus.lang, tuple(voices), clean, tuple(spoken), gated)


def line_noise(
    corpus: Corpus,
    parser: NluParser,
    clips: int = 24,
    seed: int = 0,
    name: str | None = None,
    options: RecognitionOptions | None = None,
) -> tuple[Outcome, ...]:
    """Nobody speaking: ``clips`` seeded stretches of line noise (-35 to -18 dBFS, 1-2.8 s),
    recognised and parsed as if they were an answer. Each one should be heard as nothing, or
    at least never as "yes, it's me" (Whisper hallucinates on noise). ``options``: a candidate
    context to hear them with (default: the verification question's hint)."""
    # the live recogniser (Whisper, the Mandarin prompt check, the English second opinion),
    # heard as the answer to "is this {name}?" (Mandarin: with that question's hint)
    recogniser = product_recognizer(asr_settings())
    options = options or hint_for("verify", corpus.lang, name=name).options()
    outcomes: list[Outcome] = []
    for index in range(clips):
        level = (-35.0, -25.0, -18.0)[index % 3]
        seconds = 1.0 + (index % 4) * 0.6
        line = TelephoneChannel(ChannelParams(idle_dbfs=level))
        heard = line.transmit(bytes(int(SYNTH_RATE * seconds) * 2), SYNTH_RATE, seed + index)
        got = asyncio.run(recogniser.transcribe(heard.pcm, heard.rate, options))
        label = Utterance(f"<line noise {level:g} dBFS, {seconds:.1f} s>", "out_of_scope")
        outcomes.append(outcome_of(corpus, label, "line noise", got.text, got.confidence, parser))
    return tuple(outcomes)
