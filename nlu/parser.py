"""``parse(text, lang, today)``: intent + confidence + entities for one debtor utterance."""

from __future__ import annotations

import functools
from datetime import date

from core.dialogue import DateEntity, Lang, Parse
from nlu.classifier import IntentClassifier
from nlu.concession import without_conceded_dispute
from nlu.entities import DATE_WINDOW_DAYS, extract_entities
from nlu.plans import settle
from nlu.rules import (
    is_acknowledgement,
    is_hesitation,
    is_paid_claim,
    rule_intent,
    suspects_caller,
    without_conceded_dispute_zh,
)
from nlu.settings import NluSettings
from nlu.text import prepare
from nlu.training_data import normalize


class NluParser:
    """A classifier, the legal-weight rules and the entity extractor, with one threshold."""

    def __init__(
        self,
        classifier: IntentClassifier,
        threshold: float = 0.25,
        window_days: int = DATE_WINDOW_DAYS,
    ) -> None:
        self.classifier = classifier
        self.threshold = threshold
        self.window_days = window_days

    def parse(self, text: str, lang: Lang, today: date) -> Parse:
        cleaned = prepare(text, lang)
        entities = extract_entities(cleaned, lang, today, self.window_days)
        norm = normalize(cleaned)
        # "I'm not disputing it" / 我没说不认这笔账 concede: neither the rule nor the classifier
        # should read a dispute in it
        conceded = without_conceded_dispute if lang == "en" else without_conceded_dispute_zh
        norm = conceded(norm)
        if not norm or is_hesitation(norm, lang):
            return Parse("out_of_scope", 0.0, entities)
        ruled = rule_intent(norm, lang)
        if ruled is not None:
            return Parse(ruled, 1.0, entities)
        if suspects_caller(norm, lang):
            return Parse("ask_identity", 1.0, entities)
        if not entities and is_acknowledgement(norm, lang):
            return Parse("acknowledge", 1.0, entities)
        intent, confidence = self.classifier.classify(norm, lang)
        # "I paid this" is a claim about the past; with a day still to come (我下周五把钱还了) the
        # classifier decides
        upcoming = any(isinstance(e, DateEntity) and e.value > today for e in entities)
        if intent != "already_paid" and not upcoming and is_paid_claim(norm, lang):
            return Parse("already_paid", 1.0, entities)
        if lang == "en":
            intent = settle(intent, entities, norm, today)
        if confidence < self.threshold:
            return Parse("out_of_scope", round(confidence, 4), entities)
        return Parse(intent, round(confidence, 4), entities)


@functools.cache
def default_parser() -> NluParser:
    """The parser built from the environment's settings, on first use (not at import)."""
    settings = NluSettings()
    return NluParser(IntentClassifier.build(settings), threshold=settings.threshold)


def parse(text: str, lang: Lang, today: date) -> Parse:
    """Understand one utterance with the default parser (built lazily, then kept)."""
    return default_parser().parse(text, lang, today)
