"""Figures of the spoken benchmark: intent, amount and date accuracy, recogniser error rate,
and disclosure safety (non-affirmations read as ``affirm``), from parse results alone."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from asr.agreement import edit_distance as edit_distance  # the word/character error count
from core.dialogue import Intent, Parse
from simulation.spoken.corpus import Utterance
from tts.normalize import normalize_en, normalize_zh

# Answers at right-party verification that must never count as "yes, that's me".
VERIFICATION_NON_ANSWERS: frozenset[Intent] = frozenset(
    {"deny", "ask_identity", "wrong_number", "third_party", "out_of_scope"}
)
AFFIRM_THRESHOLDS = (0.0, 0.5, 0.8)


def tokens(text: str, lang: str) -> list[str]:
    """Words (English) or characters (Mandarin) in spoken form, numbers spelled out."""
    if lang == "zh":
        spoken = normalize_zh(text)
        return [ch for ch in spoken if ch.isalnum()]
    spoken = normalize_en(text).lower().replace("-", " ")
    return re.sub(r"[^a-z0-9' ]", " ", spoken).split()


@dataclass(frozen=True, slots=True)
class Outcome:
    """One utterance as heard (``transcript``) by one voice, and what the NLU made of it."""

    utterance: Utterance
    voice: str
    transcript: str
    parse: Parse
    # at "is this {name}?": did the policy verify? (verification non-answers and affirmations)
    policy_verified: bool | None = None

    @property
    def intent_ok(self) -> bool:
        return self.parse.intent == self.utterance.intent

    @property
    def amount_ok(self) -> bool:
        got = self.parse.amount
        return got is not None and got.value == self.utterance.amount

    @property
    def date_ok(self) -> bool:
        got = self.parse.date
        return got is not None and got.value == self.utterance.date

    def affirmed(self, threshold: float) -> bool:
        return self.parse.intent == "affirm" and self.parse.confidence >= threshold


def _share(hits: int, n: int) -> float:
    return hits / n if n else float("nan")


@dataclass(frozen=True, slots=True)
class Figures:
    n: int
    intent: float
    amount: float
    amount_n: int
    date: float
    date_n: int
    error_rate: float
    false_affirm: tuple[float, ...]  # over every non-affirmation, per AFFIRM_THRESHOLDS
    false_affirm_verification: tuple[float, ...]  # over VERIFICATION_NON_ANSWERS
    non_affirm_n: int
    verification_n: int
    policy_verified: float  # verification non-answers the policy took as "yes, it's me"
    affirm_n: int
    affirm_verified: float  # true affirmations the policy took as "yes, it's me"


def figures(outcomes: Sequence[Outcome], lang: str) -> Figures:
    with_amount = [o for o in outcomes if o.utterance.amount is not None]
    with_date = [o for o in outcomes if o.utterance.date is not None]
    non_affirm = [o for o in outcomes if o.utterance.intent != "affirm"]
    affirm = [o for o in outcomes if o.utterance.intent == "affirm"]
    verification = [o for o in outcomes if o.utterance.intent in VERIFICATION_NON_ANSWERS]
    edits = words = 0
    for o in outcomes:
        ref = tokens(o.utterance.text, lang)
        edits += edit_distance(ref, tokens(o.transcript, lang))
        words += len(ref)
    return Figures(
        n=len(outcomes),
        intent=_share(sum(o.intent_ok for o in outcomes), len(outcomes)),
        amount=_share(sum(o.amount_ok for o in with_amount), len(with_amount)),
        amount_n=len(with_amount),
        date=_share(sum(o.date_ok for o in with_date), len(with_date)),
        date_n=len(with_date),
        error_rate=_share(edits, words),
        false_affirm=tuple(
            _share(sum(o.affirmed(t) for o in non_affirm), len(non_affirm))
            for t in AFFIRM_THRESHOLDS
        ),
        false_affirm_verification=tuple(
            _share(sum(o.affirmed(t) for o in verification), len(verification))
            for t in AFFIRM_THRESHOLDS
        ),
        non_affirm_n=len(non_affirm),
        verification_n=len(verification),
        policy_verified=_verified_share(verification),
        affirm_n=len(affirm),
        affirm_verified=_verified_share(affirm),
    )


def _verified_share(outcomes: Sequence[Outcome]) -> float:
    """Share the policy verified, over those it was asked about."""
    asked = [o for o in outcomes if o.policy_verified is not None]
    return _share(sum(bool(o.policy_verified) for o in asked), len(asked))


def confusions(outcomes: Iterable[Outcome], top: int = 12) -> list[tuple[str, str, int, str]]:
    """The most frequent (expected, got) intent errors with one example transcript each."""
    counts: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for o in outcomes:
        if not o.intent_ok:
            pair = (o.utterance.intent, o.parse.intent)
            counts[pair] += 1
            example.setdefault(pair, f"{o.utterance.text!r} -> {o.transcript!r}")
    return [(e, g, n, example[(e, g)]) for (e, g), n in counts.most_common(top)]
