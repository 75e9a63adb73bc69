"""Amount extraction, table-driven, both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.dialogue import AmountEntity
from nlu.entities import extract_entities

TODAY = date(2026, 11, 29)


def _amount(text: str, lang: str) -> tuple[Decimal, str | None] | None:
    found = [e for e in extract_entities(text, lang, TODAY) if isinstance(e, AmountEntity)]
    return (found[0].value, found[0].currency) if found else None


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency"),
    [
        ("$200", "en", "200", "USD"),
        ("two hundred dollars", "en", "200", "USD"),
        ("150", "en", "150", None),
        ("2k", "en", "2000", None),
        ("1.5k", "en", "1500", None),
        ("two grand", "en", "2000", None),
        ("fifteen hundred", "en", "1500", None),
        ("two fifty", "en", "250", None),
        ("one thousand two hundred and fifty bucks", "en", "1250", "USD"),
        ("i can send 1,000 dollars", "en", "1000", "USD"),
        ("a hundred", "en", "100", None),
        ("500 yuan", "en", "500", "CNY"),
        ("两千", "zh", "2000", None),
        ("五百块", "zh", "500", "CNY"),
        ("一千五", "zh", "1500", None),
        ("三千五", "zh", "3500", None),
        ("1.5万", "zh", "15000", None),
        ("两万五", "zh", "25000", None),
        ("一千零五十元", "zh", "1050", "CNY"),
        ("2000块钱", "zh", "2000", "CNY"),
        ("三百五", "zh", "350", None),
        ("十块", "zh", "10", "CNY"),
        ("200美元", "zh", "200", "USD"),
    ],
)
def test_amounts(text: str, lang: str, value: str, currency: str | None) -> None:
    assert _amount(text, lang) == (Decimal(value), currency)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("i have two kids", "en"),
        ("can i pay in three payments", "en"),
        ("six months", "en"),
        ("on the 15th", "en"),
        ("call me at 5 pm", "en"),
        ("分三期", "zh"),
        ("六个月", "zh"),
        ("15号", "zh"),
        ("礼拜五", "zh"),
        ("等一下", "zh"),
        ("两个孩子", "zh"),
    ],
)
def test_not_amounts(text: str, lang: str) -> None:
    assert _amount(text, lang) is None


def test_amount_and_date_in_one_utterance() -> None:
    ents = extract_entities("下周五还两千", "zh", TODAY)
    assert [type(e).__name__ for e in ents] == ["DateEntity", "AmountEntity"]
