"""Entity extraction: dates first (then masked out), then amounts."""

from __future__ import annotations

from datetime import date, timedelta

from core.dialogue import AmountEntity, DateEntity, Entity
from nlu.amounts import find_amounts
from nlu.corrections_zh import taken_back
from nlu.dates import find_dates
from nlu.days import FoundDate, previous_occurrence
from nlu.tense import in_past, past_spans

DATE_WINDOW_DAYS = 90
# how far back a date said of a payment already made is believed
PAST_WINDOW_DAYS = 180


def extract_entities(
    text: str, lang: str, today: date, window_days: int = DATE_WINDOW_DAYS
) -> tuple[Entity, ...]:
    """Amounts and dates in ``text``. A date said of a payment already made ("I paid it on
    Monday", 周一还了) is read as the past (``nlu.tense``): back to ``PAST_WINDOW_DAYS`` ago;
    any other date (a bare "yesterday" too) must fall within ``today .. today + window_days``
    (else it is dropped and the policy asks again)."""
    dates = find_dates(text, lang, today)
    masked = list(text)
    for found in dates:
        masked[found.start : found.end] = " " * (found.end - found.start)
    amounts = find_amounts("".join(masked), lang)
    if lang == "zh":  # "两千 不对 一千八": the amount taken back gives way, as a day does
        amounts = taken_back("".join(masked), amounts)
    spans: list[tuple[int, Entity]] = [
        (a.start, AmountEntity(a.value, a.currency, a.text)) for a in amounts
    ]
    past = past_spans(text, lang)
    for found in dates:
        said_of_past = in_past(found.start, past)
        value = _past(found, today) if said_of_past else found.value
        if value is not None and _believed(value, today, window_days, said_of_past):
            spans.append((found.start, DateEntity(value, found.text)))
    return tuple(entity for _, entity in sorted(spans, key=lambda s: s[0]))


def _past(found: FoundDate, today: date) -> date | None:
    """A repeating day said of the past: its latest occurrence up to today."""
    if found.value <= today or not found.kind:
        return found.value
    return previous_occurrence(found.value, found.kind, today)


def _believed(value: date, today: date, window_days: int, past: bool) -> bool:
    if past and today - timedelta(days=PAST_WINDOW_DAYS) <= value <= today:
        return True
    return today <= value <= today + timedelta(days=window_days)
