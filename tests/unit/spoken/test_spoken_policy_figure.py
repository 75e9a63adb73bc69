"""The benchmark's "policy" figure asks the product's own policy whether a first answer to
"is this {name}?" verifies the right party (verification by name)."""

from __future__ import annotations

from datetime import date

import pytest

from core.dialogue import Intent, Lang, Parse
from ivr.spoken.evaluate import policy_verifies

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_clear_yes_verifies(lang: Lang) -> None:
    text = "yes it's me" if lang == "en" else "是我"
    assert policy_verifies(lang, TODAY, text, Parse("affirm", 0.95, asr_confidence=0.9))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "intent", ["wrong_number", "deny", "ask_identity", "third_party", "out_of_scope"]
)
def test_non_answers_do_not_verify(lang: Lang, intent: Intent) -> None:
    text = "who is this" if lang == "en" else "你找谁"
    assert not policy_verifies(lang, TODAY, text, Parse(intent, 0.9))
