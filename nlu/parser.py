"""``parse(text, lang, today)``: intent + confidence + entities for one debtor utterance."""

from __future__ import annotations

import functools
from datetime import date

from core.dialogue import AmountEntity, DateEntity, Intent, Lang, Parse
from nlu.asking import asks_what_debt, suspects_caller
from nlu.bereavement import reports_death
from nlu.classifier import IntentClassifier
from nlu.concession import without_conceded_dispute
from nlu.entities import DATE_WINDOW_DAYS, corrected, extract_entities
from nlu.idioms_en import asks_what_about, denies_being, idiom_yes, listening, not_until_later
from nlu.line_trouble_zh import line_trouble_zh
from nlu.plans import settle, settle_zh
from nlu.rules import (
    is_acknowledgement,
    is_hesitation,
    is_paid_claim,
    rule_intent,
    says_no_money_zh,
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
        if reports_death(norm, lang):  # before the rules: "he died, stop calling" is a death
            return Parse("deceased", 1.0, entities)
        ruled = rule_intent(norm, lang)
        if ruled is not None:
            return Parse(ruled, 1.0, entities)
        if suspects_caller(norm, lang):
            return Parse("ask_identity", 1.0, entities)
        if lang == "zh" and not entities and line_trouble_zh(norm):  # "太吵了", "你说啥"
            return Parse("out_of_scope", 1.0, entities)
        if not entities and is_acknowledgement(norm, lang):
            return Parse("acknowledge", 1.0, entities)
        if lang == "en":
            idiom = _idiom_en(norm, bool(entities))
            if idiom is not None:
                return Parse(idiom, 1.0, entities)
        # "two hundred... or let's say a hundred": the classifier reads what stands
        said = corrected(cleaned, lang, today)
        heard = norm if said == cleaned else conceded(normalize(said))
        intent, confidence = self.classifier.classify(heard or norm, lang)
        # "I paid this" is a claim about the past; with a day still to come (我下周五把钱还了) the
        # classifier decides
        upcoming = any(isinstance(e, DateEntity) and e.value > today for e in entities)
        if not upcoming and is_paid_claim(norm, lang):
            return Parse("already_paid", 1.0, entities)
        if lang == "en":
            intent = settle(intent, entities, norm, today)
            amounts = any(isinstance(e, AmountEntity) for e in entities)
            unsure = confidence < self.threshold
            if (intent in _NOT_A_PLAN or unsure) and not amounts and not_until_later(norm):
                return Parse("hardship", max(round(confidence, 4), _BY_WORDS), entities)
        elif (
            settled := settle_zh(guess := self._sure(intent, confidence), entities, norm, today)
        ) != guess:
            # (an unsure guess is no guess: the words may still say a promise)
            return Parse(settled, max(round(confidence, 4), _BY_WORDS), entities)
        elif (
            (intent in _NOT_HARDSHIP_ZH or confidence < self.threshold)
            and not entities
            and says_no_money_zh(norm)
        ):
            return Parse("hardship", max(round(confidence, 4), _BY_WORDS), entities)
        if intent in _NOT_A_QUESTION_OF_DEBT and asks_what_debt(norm, lang):
            return Parse("ask_amount", max(round(confidence, 4), _BY_WORDS), entities)
        if confidence < self.threshold:
            return Parse("out_of_scope", round(confidence, 4), entities)
        return Parse(intent, round(confidence, 4), entities)

    def _sure(self, intent: Intent, confidence: float) -> Intent:
        return intent if confidence >= self.threshold else "out_of_scope"


# what the classifier makes of "what loan is this even for?" (a question, answered; a dispute
# would stop collecting on a question)
_NOT_A_QUESTION_OF_DEBT: frozenset[Intent] = frozenset(
    {"dispute", "ask_payment_method", "out_of_scope", "acknowledge"}
)
# the confidence of a reading by the words when the classifier was unsure
_BY_WORDS = 0.6
# what the classifier makes of "can't pay nothing till January" when it misses the hardship (or
# calls it hardship, unsure: the words lift its confidence)
_NOT_A_PLAN: frozenset[Intent] = frozenset(
    {"refuse", "out_of_scope", "affirm", "deny", "acknowledge", "callback_later", "ask_amount",
     "hardship"}
)  # fmt: skip


# what the classifier makes of 冇钱啊 真系冇 (no money, said outright) when it misses the hardship
_NOT_HARDSHIP_ZH: frozenset[Intent] = frozenset({"out_of_scope", "deny", "acknowledge"})


def _idiom_en(norm: str, has_entities: bool) -> Intent | None:
    """An English answer read by its idiom (``nlu.idioms_en``) before the classifier."""
    if idiom_yes(norm):
        return "affirm"
    if has_entities:
        return None
    if listening(norm):
        return "acknowledge"
    if denies_being(norm):
        return "deny"
    if asks_what_about(norm) and not is_paid_claim(norm, "en"):
        return "ask_identity"
    return None


@functools.cache
def default_parser() -> NluParser:
    """The parser built from the environment's settings, on first use (not at import)."""
    settings = NluSettings()
    return NluParser(IntentClassifier.build(settings), threshold=settings.threshold)


def parse(text: str, lang: Lang, today: date) -> Parse:
    """Understand one utterance with the default parser (built lazily, then kept)."""
    return default_parser().parse(text, lang, today)
