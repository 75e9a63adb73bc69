"""The benchmark's "policy" figure asks the product's own policy whether a first answer to
"is this {name}?" verifies the right party (verification by name)."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest

from core.dialogue import Intent, Lang, Parse
from nlu.parser import NluParser
from simulation.spoken.corpus import Corpus, Utterance, parse_corpus
from simulation.spoken.evaluate import outcome_of, policy_verifies

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_clear_yes_verifies(lang: Lang) -> None:
    text = "yes it's me" if lang == "en" else "是我"
    assert policy_verifies(lang, TODAY, text, Parse("affirm", 0.95, asr_confidence=0.9))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "intent", ["wrong_number", "deny", "ask_identity", "third_party", "out_of_scope"]
)
def test_non_answers_do_not_verify(lang: Lang, intent: Intent) -> None:
    text = "who is this" if lang == "en" else "你找谁"
    assert not policy_verifies(lang, TODAY, text, Parse(intent, 0.9))


class _Fixed:
    """A parser that reads every text as the same confident intent."""

    def __init__(self, intent: Intent) -> None:
        self.intent: Intent = intent

    def parse(self, text: str, lang: Lang, today: date) -> Parse:
        return Parse(self.intent, 0.97)


def _corpus(lang: Lang) -> Corpus:
    return parse_corpus(f"lang: {lang}\ntoday: 2026-12-02\nutterances:\n  affirm:\n    - x\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_outcome_hears_with_the_recognisers_confidence(lang: Lang) -> None:
    """A clear "yes, it's me" verifies when the recogniser was sure of it and not when it
    guessed: the bench asks the policy as the live call path does."""
    corpus = _corpus(lang)
    text = "yes it's me" if lang == "en" else "是我"
    parser = cast(NluParser, _Fixed("affirm"))
    sure = outcome_of(corpus, Utterance(text, "affirm"), "v@1", text, 0.95, parser)
    unsure = outcome_of(corpus, Utterance(text, "affirm"), "v@1", text, 0.2, parser)
    assert sure.parse.asr_confidence == 0.95
    assert sure.policy_verified is True
    assert unsure.policy_verified is False


def test_only_verification_answers_are_put_to_the_policy() -> None:
    corpus = _corpus("en")
    parser = cast(NluParser, _Fixed("affirm"))
    said = Utterance("friday", "promise_to_pay")
    assert outcome_of(corpus, said, "v@1", "yes", 0.9, parser).policy_verified is None
    asked = outcome_of(corpus, Utterance("who?", "ask_identity"), "v@1", "yes it's me", 0.9, parser)
    assert asked.policy_verified is True  # heard as a confident yes: the figure counts it
