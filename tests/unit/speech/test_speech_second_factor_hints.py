"""The second factor's hints (issue 9, asr5): the question and years as people say them, but
never a year an adult was born in nor an id's digits, so a copy of the hint (Whisper echoes its
prompt) can never be the factor the record holds; nameless; after the domain prompt."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from asr.hints import Stage, hint_for
from asr.settings import AsrSettings
from core.dialogue import Lang
from nlu.policy import VerificationMode, demo_case, load_script, start
from nlu.policy.common import spoken_digits
from nlu.policy.state import DialogueState
from nlu.policy.state import Stage as DialogueStage
from nlu.policy.verification import _factor_shaped

TODAY = date(2026, 12, 7)
FACTOR_STAGES: list[tuple[Lang, Stage]] = [
    ("en", "second_factor"),
    ("zh", "second_factor"),
    ("zh", "id_last4"),
]


def _answers(prompt: str, lang: str) -> list[str]:
    """The sentences of the hint after the domain prompt that are not questions."""
    extra = prompt.removeprefix(AsrSettings().default_prompt(lang) or "")
    sentences = re.findall(r"[^.。?？]+[.。?？]", extra)
    return [s.strip() for s in sentences if not s.endswith(("?", "？"))]


@pytest.mark.parametrize(("lang", "stage"), FACTOR_STAGES)
def test_factor_hints_follow_the_domain_prompt_and_ask_the_question(
    lang: Lang, stage: Stage
) -> None:
    settings = AsrSettings()
    hint = hint_for(stage, lang, settings)
    assert hint.prompt is not None
    assert hint.prompt.startswith(settings.default_prompt(lang) or "")
    extra = hint.prompt.removeprefix(settings.default_prompt(lang) or "")
    question = {
        "second_factor": {"en": "year of birth", "zh": "出生"},
        "id_last4": {"zh": "身份证"},
    }
    assert question[stage][lang] in extra


def _at_factor(lang: Lang, mode: VerificationMode) -> DialogueState:
    facts = replace(demo_case(lang), verification=mode)
    return replace(start(facts, load_script(lang), TODAY), stage=DialogueStage.VERIFY_SECOND)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_year_in_a_year_hint_can_be_the_factor(lang: Lang) -> None:
    """Each answer the year hint suggests is a year said some way, none an adult's; nor the
    whole list copied as one answer (Whisper copies its prompt)."""
    prompt = hint_for("second_factor", lang).prompt
    assert prompt is not None
    answers = _answers(prompt, lang)
    assert len(answers) >= 3
    state = _at_factor(lang, VerificationMode.NAME_AND_BIRTH_YEAR)
    for answer in [*answers, "".join(answers)]:
        digits = spoken_digits(answer, lang)
        assert digits, answer
        assert not _factor_shaped(state, digits), (answer, digits)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_id_hint_holds_no_digits_an_id_could_end_with(lang: Lang) -> None:
    settings = AsrSettings()
    prompt = hint_for("id_last4", lang, settings).prompt
    if prompt is None:  # the domain prompt alone
        return
    extra = prompt.removeprefix(settings.default_prompt(lang) or "")
    state = _at_factor(lang, VerificationMode.NAME_AND_ID_LAST4)
    assert not _factor_shaped(state, spoken_digits(extra, lang))


def test_factor_hints_name_nobody() -> None:
    for lang, stage in FACTOR_STAGES:
        prompt = hint_for(stage, lang).prompt
        assert prompt is not None
        name = demo_case(lang).debtor_name
        assert name not in prompt
        assert all(part not in prompt for part in name.split())
