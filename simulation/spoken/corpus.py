"""The spoken benchmark's corpus: utterances grouped by intent, with the amount and date said.

File format (``bench/data/spoken_<lang>.yml``)::

    lang: en
    today: 2026-12-02
    debtor: Thomas Reed   # optional: the name "is this {name}?" asks for (else the demo case's)
    utterances:
      affirm:
        - "Uh, yeah, that's me."
      promise_to_pay:
        - {text: "I can pay two hundred on Friday.", amount: 200, date: 2026-12-04}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from core.dialogue import INTENTS, LANGS, Intent, Lang


class CorpusError(ValueError):
    """The corpus file is malformed; the message names the file and the item."""


@dataclass(frozen=True, slots=True)
class Utterance:
    text: str
    intent: Intent
    amount: Decimal | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Corpus:
    lang: Lang
    today: date
    utterances: tuple[Utterance, ...]
    debtor: str | None = None  # the name the identity question asks for; None: the demo case's


def _intent(name: object, origin: str) -> Intent:
    for intent in INTENTS:
        if intent == name:
            return intent
    raise CorpusError(f"{origin}: unknown intent {name!r}")


def _lang(value: object, origin: str) -> Lang:
    for lang in LANGS:
        if lang == value:
            return lang
    raise CorpusError(f"{origin}: unknown language {value!r}")


def _item(raw: object, intent: Intent, origin: str) -> Utterance:
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise CorpusError(f"{origin}: {intent}: an item needs a non-empty text: {raw!r}")
    unknown = set(raw) - {"text", "amount", "date"}
    if unknown:
        raise CorpusError(f"{origin}: {raw['text']!r}: unknown keys {sorted(unknown)}")
    amount: Decimal | None = None
    if raw.get("amount") is not None:
        try:
            amount = Decimal(str(raw["amount"]))
        except InvalidOperation as e:
            raise CorpusError(f"{origin}: {raw['text']!r}: bad amount") from e
        if amount <= 0:
            raise CorpusError(f"{origin}: {raw['text']!r}: amount must be positive")
    said = raw.get("date")
    if said is not None and not isinstance(said, date):
        raise CorpusError(f"{origin}: {raw['text']!r}: date must be YYYY-MM-DD")
    return Utterance(raw["text"].strip(), intent, amount, said)


def parse_corpus(source: str, origin: str = "<string>") -> Corpus:
    try:
        doc = yaml.safe_load(source)
    except yaml.YAMLError as e:
        raise CorpusError(f"{origin}: not YAML: {e}") from e
    if not isinstance(doc, dict) or not isinstance(doc.get("utterances"), dict):
        raise CorpusError(f"{origin}: expected lang, today and an 'utterances' mapping")
    today = doc.get("today")
    if not isinstance(today, date):
        raise CorpusError(f"{origin}: 'today' must be a date (YYYY-MM-DD)")
    items: list[Utterance] = []
    for name, entries in doc["utterances"].items():
        intent = _intent(name, origin)
        if not isinstance(entries, list):
            raise CorpusError(f"{origin}: {intent}: expected a list")
        items.extend(_item(raw, intent, origin) for raw in entries)
    texts = [u.text for u in items]
    duplicated = sorted({t for t in texts if texts.count(t) > 1})
    if duplicated:
        raise CorpusError(f"{origin}: duplicated utterances {duplicated[:5]}")
    debtor = doc.get("debtor")
    if debtor is not None and (not isinstance(debtor, str) or not debtor.strip()):
        raise CorpusError(f"{origin}: 'debtor' must be a non-empty name")
    lang = _lang(doc.get("lang"), origin)
    return Corpus(lang, today, tuple(items), debtor.strip() if debtor else None)


def load_corpus(path: Path) -> Corpus:
    return parse_corpus(path.read_text(encoding="utf-8"), str(path))


def default_path(lang: str) -> Path:
    """``bench/data/spoken_<lang>.yml`` of this checkout."""
    return Path(__file__).resolve().parents[2] / "bench" / "data" / f"spoken_{lang}.yml"


def _fold(text: str) -> str:
    """Lower case, letters and digits only: punctuation and spacing never make a line new."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def near_copies(
    corpus: Corpus, others: Iterable[str], min_ratio: float = 0.9
) -> list[tuple[str, str, float]]:
    """Corpus lines that equal or nearly equal (difflib ratio >= ``min_ratio``) another text."""
    folded = {_fold(t): t for t in others}
    found: list[tuple[str, str, float]] = []
    for utterance in corpus.utterances:
        mine = _fold(utterance.text)
        if mine in folded:
            found.append((utterance.text, folded[mine], 1.0))
            continue
        matcher = difflib.SequenceMatcher(a=mine, autojunk=False)
        best, best_ratio = "", 0.0
        for key, original in folded.items():
            matcher.set_seq2(key)
            if matcher.real_quick_ratio() < min_ratio or matcher.quick_ratio() < min_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = original, ratio
        if best_ratio >= min_ratio:
            found.append((utterance.text, best, round(best_ratio, 3)))
    return found
