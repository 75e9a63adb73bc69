"""Entity extraction: dates first (then masked out), then amounts."""

from __future__ import annotations

from datetime import date, timedelta

from core.dialogue import AmountEntity, DateEntity, Entity
from nlu.amounts import find_amounts
from nlu.dates import find_dates

DATE_WINDOW_DAYS = 90


def extract_entities(
    text: str, lang: str, today: date, window_days: int = DATE_WINDOW_DAYS
) -> tuple[Entity, ...]:
    """Amounts and dates in ``text``. Dates outside ``today .. today + window_days`` are dropped
    (the policy then asks again)."""
    dates = find_dates(text, lang, today)
    masked = list(text)
    for found in dates:
        masked[found.start : found.end] = " " * (found.end - found.start)
    amounts = find_amounts("".join(masked), lang)
    last = today + timedelta(days=window_days)
    spans: list[tuple[int, Entity]] = [
        (a.start, AmountEntity(a.value, a.currency, a.text)) for a in amounts
    ]
    spans += [(d.start, DateEntity(d.value, d.text)) for d in dates if today <= d.value <= last]
    return tuple(entity for _, entity in sorted(spans, key=lambda s: s[0]))
