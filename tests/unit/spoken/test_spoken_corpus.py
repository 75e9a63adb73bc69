"""The spoken benchmark's corpus files: schema, labels, coverage, and distance from nlu/data."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from core.dialogue import INTENTS, Lang
from nlu.training_data import load_split, load_training
from simulation.spoken.corpus import (
    CorpusError,
    default_path,
    load_corpus,
    near_copies,
    parse_corpus,
)

LANGS: tuple[Lang, ...] = ("en", "zh")
PAST_OK = {"already_paid"}


@pytest.mark.parametrize("lang", LANGS)
def test_corpus_is_large_and_covers_every_intent(lang: Lang) -> None:
    corpus = load_corpus(default_path(lang))
    assert corpus.lang == lang
    assert len(corpus.utterances) >= 300
    per_intent = Counter(u.intent for u in corpus.utterances)
    assert set(per_intent) == set(INTENTS)
    assert min(per_intent.values()) >= 12
    promises = [u for u in corpus.utterances if u.intent == "promise_to_pay"]
    assert sum(u.amount is not None for u in promises) >= 30
    assert sum(u.date is not None for u in promises) >= 30


@pytest.mark.parametrize("lang", LANGS)
def test_dates_are_near_today_and_past_only_when_already_paid(lang: Lang) -> None:
    corpus = load_corpus(default_path(lang))
    for u in corpus.utterances:
        if u.date is None:
            continue
        assert u.date <= corpus.today + timedelta(days=60), u.text
        if u.intent not in PAST_OK:
            assert u.date >= corpus.today, u.text


@pytest.mark.parametrize("lang", LANGS)
def test_corpus_is_not_copied_from_the_nlu_data(lang: Lang) -> None:
    """At most 1 % of the lines (unavoidable one-worders like "What?") equal or nearly equal
    a line of the NLU's training or held-out data."""
    corpus = load_corpus(default_path(lang))
    others = [e.text for e in load_training(lang)]  # train + train_spoken
    others += [e.text for split in ("test", "test_hard") for e in load_split(lang, split)]
    copies = near_copies(corpus, others)
    assert len(copies) <= len(corpus.utterances) // 100, copies


def test_near_copies_finds_exact_and_near_lines() -> None:
    corpus = parse_corpus(
        "lang: en\ntoday: 2026-12-02\nutterances:\n  affirm:\n"
        '    - "Yes, that\'s me!"\n    - "Yes that is me"\n    - "Completely new words"\n'
    )
    found = near_copies(corpus, ["yes that's me", "yes that's me."])
    assert (found[0][0], found[0][2]) == ("Yes, that's me!", 1.0)
    assert {mine for mine, _, _ in found} == {"Yes, that's me!", "Yes that is me"}


def test_items_carry_amount_and_date() -> None:
    corpus = parse_corpus(
        "lang: zh\ntoday: 2026-12-02\nutterances:\n  promise_to_pay:\n"
        "    - {text: 我周五还两千, amount: 2000, date: 2026-12-04}\n"
    )
    (u,) = corpus.utterances
    assert (u.intent, u.amount, str(u.date)) == ("promise_to_pay", Decimal(2000), "2026-12-04")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  greet:\n    - hi\n", "unknown intent"),
        ("  affirm:\n    - {text: sure, date: friday}\n", "YYYY-MM-DD"),
        ("  affirm:\n    - {text: sure, amount: -5}\n", "positive"),
        ("  affirm:\n    - {text: sure, mood: happy}\n", "unknown keys"),
        ("  affirm:\n    - sure\n    - sure\n", "duplicated"),
        ("  affirm:\n    - {amount: 5}\n", "non-empty text"),
        ("  affirm: yes\n", "expected a list"),
    ],
)
def test_bad_corpus_files_are_refused(body: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        parse_corpus("lang: en\ntoday: 2026-12-02\nutterances:\n" + body)


def test_bad_headers_are_refused() -> None:
    with pytest.raises(CorpusError, match="today"):
        parse_corpus("lang: en\ntoday: soon\nutterances: {affirm: [yes]}\n")
    with pytest.raises(CorpusError, match="language"):
        parse_corpus("lang: fr\ntoday: 2026-12-02\nutterances: {affirm: [oui]}\n")
    with pytest.raises(CorpusError, match="not YAML"):
        parse_corpus("lang: [en\n")
