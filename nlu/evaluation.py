"""Held-out evaluation: per-intent precision/recall and entity accuracy (never trained on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml

from core.dialogue import INTENTS, Intent, Lang
from nlu.entities import extract_entities
from nlu.parser import NluParser
from nlu.text import prepare
from nlu.training_data import Example

EVAL_TODAY = date(2026, 11, 29)


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: Intent
    precision: float
    recall: float
    support: int


@dataclass(frozen=True, slots=True)
class IntentReport:
    lang: Lang
    accuracy: float
    total: int
    scores: tuple[IntentScore, ...]
    errors: tuple[tuple[str, Intent, Intent], ...]


@dataclass(frozen=True, slots=True)
class EntityReport:
    lang: Lang
    amount_accuracy: float
    date_accuracy: float
    total: int
    errors: tuple[str, ...]


def evaluate_intents(parser: NluParser, examples: tuple[Example, ...], lang: Lang) -> IntentReport:
    predicted = [parser.parse(e.text, lang, EVAL_TODAY).intent for e in examples]
    gold = [e.intent for e in examples]
    scores = []
    for intent in INTENTS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == intent)
        pred_n = sum(1 for p in predicted if p == intent)
        gold_n = sum(1 for g in gold if g == intent)
        if gold_n or pred_n:
            precision = tp / pred_n if pred_n else 0.0
            scores.append(IntentScore(intent, precision, tp / gold_n if gold_n else 0.0, gold_n))
    errors = tuple(
        (e.text, e.intent, p) for e, p in zip(examples, predicted, strict=True) if e.intent != p
    )
    correct = len(examples) - len(errors)
    return IntentReport(lang, correct / max(len(examples), 1), len(examples), tuple(scores), errors)


def entity_cases(split: str = "test") -> dict[str, list[dict[str, Any]]]:
    """Held-out entity cases: ``test`` (everyday wording) or ``test_hard`` (recogniser-style)."""
    name = f"entities_{split}.yml"
    source = resources.files("nlu").joinpath("data", name).read_text("utf-8")
    cases: dict[str, list[dict[str, Any]]] = yaml.safe_load(source)
    return cases


def evaluate_entities(lang: Lang, split: str = "test") -> EntityReport:
    cases = entity_cases(split)[lang]
    amount_ok = date_ok = 0
    errors: list[str] = []
    for case in cases:
        ents = extract_entities(prepare(str(case["text"]), lang), lang, case["today"])
        amounts = [e for e in ents if not isinstance(e.value, date)]
        dates = [e.value for e in ents if isinstance(e.value, date)]
        got_amount = (amounts[0].value, getattr(amounts[0], "currency", None)) if amounts else None
        want_amount = (
            (Decimal(str(case["amount"])), case["currency"]) if case["amount"] is not None else None
        )
        got_date = dates[0] if dates else None
        a_ok, d_ok = got_amount == want_amount, got_date == case["date"]
        amount_ok += a_ok
        date_ok += d_ok
        if not (a_ok and d_ok):
            errors.append(f"{case['text']!r}: got {got_amount} {got_date}")
    n = max(len(cases), 1)
    return EntityReport(lang, amount_ok / n, date_ok / n, len(cases), tuple(errors))
