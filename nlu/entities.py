"""Entity extraction: dates first (then masked out), then amounts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from core.dialogue import AmountEntity, DateEntity, Entity
from nlu.amounts import FoundAmount, find_amounts
from nlu.corrections import taken_back, withdrawn, without
from nlu.dates import dates_said
from nlu.days import FoundDate, previous_occurrence
from nlu.tense import in_past, past_spans

# the recogniser splits a "-teen" number: "on the fif teen", "the six teenth", "eigh teen"
# (read "the six" alone it became next month's 6th)
_SPLIT_TEEN_EN = re.compile(
    r"\b(thir|four|fif|six|seven|eigh|eight|nine)\s+(teen(?:th)?s?)\b", re.I
)


def _joined_teens(text: str) -> str:
    """``text`` with the split "-teen" numbers joined ("eight teen" is "eighteen")."""
    return _SPLIT_TEEN_EN.sub(lambda m: m.group(1).lower().removesuffix("t") + m.group(2), text)


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
    if lang == "en":
        text = _joined_teens(text)
    said, dates = dates_said(text, lang, today)
    masked, all_amounts = _amounts_said(text, lang, said)
    # "两千 不对 一千八", "two hundred, no wait, one fifty": the amount taken back gives way
    amounts = taken_back(masked, all_amounts, lang)
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


def corrected(text: str, lang: str, today: date) -> str:
    """``text`` without the days and amounts the speaker took back, nor the words that took them
    back: "two hundred... or let's say a hundred on friday" is "a hundred on friday" (what the
    classifier is given)."""
    said, days = dates_said(text, lang, today)
    masked, amounts = _amounts_said(text, lang, said)
    cuts = [*withdrawn(text, said, lang).values(), *withdrawn(masked, amounts, lang).values()]
    if not cuts:
        return text
    # what stands inside a cut stays: "two hundred on friday, no, 250" keeps "friday"
    kept = [(d.start, d.end) for d in days]
    kept += [(a.start, a.end) for a in taken_back(masked, amounts, lang)]
    return without(text, cuts, keep=kept)


def _amounts_said(text: str, lang: str, days: list[FoundDate]) -> tuple[str, list[FoundAmount]]:
    """The text with its days blanked (a day taken back is no amount either: "the 15th, no, the
    16th"), and every amount in it."""
    masked = list(text)
    for found in days:
        masked[found.start : found.end] = " " * (found.end - found.start)
    return "".join(masked), find_amounts("".join(masked), lang)


def _past(found: FoundDate, today: date) -> date | None:
    """A repeating day said of the past: its latest occurrence up to today."""
    if found.value <= today or not found.kind:
        return found.value
    return previous_occurrence(found.value, found.kind, today)


def _believed(value: date, today: date, window_days: int, past: bool) -> bool:
    if past and today - timedelta(days=PAST_WINDOW_DAYS) <= value <= today:
        return True
    return today <= value <= today + timedelta(days=window_days)
