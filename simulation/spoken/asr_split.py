"""The NLU's own data re-heard: ``<lang>_<split>_asr.yml`` from the telephone line and recogniser.

Every example of a split (``train``, ``test``, ``test_hard``) is spoken by the given voices,
sent through the line, recognised, and the transcript is kept with the example's intent, in
Rasa NLU YAML like the rest of ``nlu/data``. Transcripts equal to their source (after
``normalize``) add nothing and are left out; so are transcripts too far from it to still carry
the intent (token error rate above ``max_error``: "who is this" heard as "goodness" must not
teach the classifier that "goodness" asks who is calling), transcripts that lost or gained a
negation ("that's not correct" heard as "that's correct"), transcripts that are a clean
example of another intent, and transcripts the voicemail rules take for an answering machine
("you've reached the wrong person" heard as "you've reached in the wrong person"). Duplicates
within an intent are dropped. A manifest (``asr_manifest.json``) records the hash of the
source examples, so a stale split is detected.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.dialogue import INTENTS, Intent, Lang
from nlu.machine_greeting import is_machine_greeting
from nlu.training_data import Example, fingerprint, load_split, normalize
from simulation.spoken.metrics import edit_distance, tokens
from simulation.spoken.render import ProgressFn, SpokenPipeline
from simulation.spoken.voices import Voice

MANIFEST = "asr_manifest.json"
SPLITS = ("train", "test", "test_hard")


def bundled_data_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "nlu" / "data"


def source_hash(lang: Lang, split: str, data_dir: Path | None = None) -> str:
    """The hash of a split's examples (what its ``_asr`` split was generated from)."""
    return fingerprint(load_split(lang, split, data_dir), lang, split)


@dataclass(frozen=True, slots=True)
class SplitReport:
    split: str
    examples: int
    rendered: int
    kept: int
    same_as_source: int
    too_far: int
    empty: int


_NEGATIONS_EN = frozenset(
    {"no", "not", "nope", "nah", "never", "nothing", "nobody", "none", "uh-uh", "neither"}
)
_NEGATIONS_ZH = frozenset("不没别非无未甭")


def negations(text: str, lang: str) -> int:
    """How many negations a text holds ("that's not correct" 1, 不是 1): a transcript that
    lost or gained one says the opposite of its source and must not keep its label."""
    if lang == "zh":
        return sum(ch in _NEGATIONS_ZH for ch in text)
    words = normalize(text).split()
    return sum(w in _NEGATIONS_EN or w.endswith("n't") for w in words)


def token_error(source: str, heard: str, lang: str) -> float:
    ref = tokens(source, lang)
    return edit_distance(ref, tokens(heard, lang)) / max(len(ref), 1)


def to_rasa_yaml(lang: str, split: str, examples: Sequence[Example], note: str) -> str:
    """Examples as a Rasa NLU YAML document, grouped by intent in the NLU's intent order."""
    lines = [f"# {lang}_{split}_asr: {note}", 'version: "3.1"', "nlu:"]
    for intent in INTENTS:
        texts = [e.text for e in examples if e.intent == intent]
        if not texts:
            continue
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def _sample(examples: tuple[Example, ...], size: int | None, seed: int) -> list[Example]:
    if size is None or size >= len(examples):
        return list(examples)
    picked = random.Random(seed).sample(range(len(examples)), size)
    return [examples[i] for i in sorted(picked)]


@dataclass(frozen=True, slots=True)
class TranscriptFilter:
    """Which transcripts may keep their source's label (see the module docstring)."""

    lang: Lang
    max_error: float
    held_out: frozenset[str]  # clean held-out sentences: never a training transcript
    clean_intent: dict[str, Intent]  # every clean example's label

    def verdict(self, source: str, heard: str, intent: Intent) -> str:
        """``empty``, ``same`` (adds nothing), ``far`` (meaning may be lost) or ``keep``."""
        if not heard:
            return "empty"
        if heard == source or heard in self.held_out:
            return "same"
        if (
            token_error(source, heard, self.lang) > self.max_error
            or negations(source, self.lang) != negations(heard, self.lang)
            or self.clean_intent.get(heard, intent) != intent
            or is_machine_greeting(heard)  # the policy would hang up on it as a voicemail
        ):
            return "far"
        return "keep"


def transcript_filter(lang: Lang, split: str, max_error: float) -> TranscriptFilter:
    held_out = frozenset(
        e.text for s in SPLITS if s != "train" and split == "train" for e in load_split(lang, s)
    )
    clean = {e.text: e.intent for s in SPLITS for e in load_split(lang, s)}
    return TranscriptFilter(lang, max_error, held_out, clean)


def generate_split(
    lang: Lang,
    split: str,
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    *,
    out_dir: Path,
    sample: int | None = None,
    max_error: float = 0.5,
    workers: int = 2,
    progress: ProgressFn | None = None,
) -> SplitReport:
    """Render one split and write ``<lang>_<split>_asr.yml`` into ``out_dir``."""
    examples = _sample(load_split(lang, split), sample, pipeline.seed)
    renderings = pipeline.run([e.text for e in examples], voices, workers, progress)
    intent_of = {e.text: e.intent for e in examples}
    check = transcript_filter(lang, split, max_error)
    verdicts: Counter[str] = Counter()
    labels_of: dict[str, set[Intent]] = {}
    for r in renderings:
        heard = normalize(r.transcript)
        verdict = check.verdict(r.text, heard, intent_of[r.text])
        verdicts[verdict] += 1
        if verdict == "keep":
            labels_of.setdefault(heard, set()).add(intent_of[r.text])
    # a transcript heard for two intents teaches nothing: drop it
    kept = [Example(t, next(iter(i))) for t, i in labels_of.items() if len(i) == 1]
    verdicts["far"] += sum(len(i) for i in labels_of.values() if len(i) > 1)
    labels = ", ".join(v.label for v in voices)
    note = (
        f"{split} examples{' (a sample of ' + str(len(examples)) + ')' if sample else ''} "
        f"heard through {pipeline.channel.key} by voices {labels}. Generated by "
        "`collectbot nlu asr-split`: do not edit."
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{lang}_{split}_asr.yml").write_text(
        to_rasa_yaml(lang, split, kept, note), encoding="utf-8"
    )
    return SplitReport(
        split,
        len(examples),
        len(renderings),
        len(kept),
        verdicts["same"],
        verdicts["far"],
        verdicts["empty"],
    )


def write_manifest(
    lang: Lang,
    reports: Sequence[SplitReport],
    voices: Sequence[Voice],
    pipeline: SpokenPipeline,
    out_dir: Path,
    max_error: float,
) -> None:
    path = out_dir / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    manifest[lang] = {
        "splits": {
            r.split: {
                "source": source_hash(lang, r.split),
                "examples": r.examples,
                "rendered": r.rendered,
                "kept": r.kept,
                "same_as_source": r.same_as_source,
                "too_far": r.too_far,
                "empty": r.empty,
            }
            for r in reports
        },
        "voices": [v.label for v in voices],
        "channel": pipeline.channel.key,
        "seed": pipeline.seed,
        "max_error": max_error,
        "recogniser": hashlib.sha256(pipeline.recogniser.encode()).hexdigest()[:16],
    }
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def stale_splits(data_dir: Path | None = None) -> list[str]:
    """``lang/split`` pairs whose ``_asr`` file was generated from other source examples."""
    folder = data_dir or bundled_data_dir()
    path = folder / MANIFEST
    if not path.is_file():
        return []
    stale: list[str] = []
    for lang, entry in json.loads(path.read_text(encoding="utf-8")).items():
        for split, facts in entry["splits"].items():
            if facts["source"] != source_hash(lang, split, data_dir):
                stale.append(f"{lang}/{split}")
    return stale
