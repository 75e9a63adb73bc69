"""A second consistent "yes": the re-asked name question answered "yes" again verifies when each
answer is plausible on its own, and never when either is noise, an invention or asks back."""

from __future__ import annotations

import itertools

import pytest
from safety_cases import MODES
from test_nlu_disclosure import HALLUCINATED, NAME, assert_nothing_disclosed, call, says

from core.dialogue import (
    BargedIn,
    DialogueEvent,
    DtmfReceived,
    Lang,
    Parse,
    SilenceTimedOut,
    UtteranceHeard,
)
from nlu.policy import VerificationMode
from nlu.policy.disclosure import base_key
from nlu.policy.state import Stage
from nlu.policy.verification import (
    ASR_MIN_CONFIDENCE,
    PLAIN_YES_MIN_CONFIDENCE,
    SECOND_YES_ASR_MIN,
    confident_yes,
    plausible_yes,
)

YES: dict[Lang, list[str]] = {
    "en": ["Yes.", "yeah that's me", "Yep, speaking.", "uh yes it is", "this is she"],
    "zh": ["是的", "对，是我", "嗯，是我", "是我本人"],
}


def _between(lang: Lang) -> float:
    """A recogniser confidence a first "yes" is not enough with, a second one is."""
    return (SECOND_YES_ASR_MIN[lang] + ASR_MIN_CONFIDENCE[lang]) / 2


def weak_yes(lang: Lang, text: str, asr: float | None = None, score: float = 0.9) -> UtteranceHeard:
    confidence = _between(lang) if asr is None else asr
    return UtteranceHeard(text, lang, Parse("affirm", score, (), confidence))


def _verified(lang: Lang, events: list[DialogueEvent], mode: VerificationMode) -> bool:
    steps = call(lang, mode, "US", events)
    return steps[-1][1].verified


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_yes_of_the_pair_is_plausible_but_not_enough_alone(lang: Lang) -> None:
    for text in YES[lang]:
        heard = weak_yes(lang, text)
        assert plausible_yes(text, heard.parse, lang, NAME[lang]), text
        assert not confident_yes(text, heard.parse, lang, NAME[lang]), text
        assert not _verified(lang, [heard], VerificationMode.NAME)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_plausible_yes_in_a_row_verify_and_the_disclosure_follows(lang: Lang) -> None:
    first, second = YES[lang][0], YES[lang][1]
    steps = call(lang, VerificationMode.NAME, "US", [weak_yes(lang, first), weak_yes(lang, second)])
    (_, asked, again), (_, after, commands) = steps[1], steps[2]
    assert not asked.verified
    assert asked.weak_yes
    assert [base_key(s.prompt_key) for s in says(again)] == ["reprompt.ask_name"]
    assert after.verified
    assert "second_yes" in after.notes
    assert base_key(says(commands)[0].prompt_key).startswith("disclosure.")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "mode", [VerificationMode.NAME_AND_BIRTH_YEAR, VerificationMode.NAME_AND_ID_LAST4]
)
def test_a_second_yes_only_passes_the_name_the_second_factor_is_still_asked(
    lang: Lang, mode: VerificationMode
) -> None:
    steps = call(lang, mode, "US", [weak_yes(lang, YES[lang][0]), weak_yes(lang, YES[lang][0])])
    assert steps[-1][1].stage is Stage.VERIFY_SECOND
    assert_nothing_disclosed(lang, steps)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "between",
    [
        SilenceTimedOut(5.0),
        DtmfReceived("5"),
        "hallucination",
        "question",
        "noise yes",
    ],
)
def test_anything_between_the_two_yeses_starts_the_count_again(
    lang: Lang, between: DialogueEvent | str
) -> None:
    middle: DialogueEvent
    if between == "hallucination":
        middle = UtteranceHeard(HALLUCINATED[lang][0], lang, Parse("affirm", 0.99, (), 0.99))
    elif between == "question":
        middle = UtteranceHeard("who is this" if lang == "en" else "你是谁", lang,
                                Parse("ask_identity", 0.9, (), 0.9))  # fmt: skip
    elif between == "noise yes":  # a "yes" the recogniser barely heard
        middle = weak_yes(lang, YES[lang][0], asr=SECOND_YES_ASR_MIN[lang] - 0.01)
    else:
        assert not isinstance(between, str)
        middle = between
    events: list[DialogueEvent] = [
        weak_yes(lang, YES[lang][0]),
        middle,
        weak_yes(lang, YES[lang][1]),
    ]
    for mode in MODES:
        steps = call(lang, mode, "US", events)
        assert_nothing_disclosed(lang, steps)
        assert steps[-1][1].weak_yes or steps[-1][1].ended  # the last one counts as a first


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_barge_in_is_no_answer_between_the_two(lang: Lang) -> None:
    events: list[DialogueEvent] = [weak_yes(lang, YES[lang][0]), BargedIn("reprompt.ask_name#0"),
              weak_yes(lang, YES[lang][1])]  # fmt: skip
    assert _verified(lang, events, VerificationMode.NAME)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("mode", MODES)
def test_noise_or_inventions_twice_in_a_row_never_verify(
    lang: Lang, mode: VerificationMode
) -> None:
    """Every pair of the recogniser's inventions, each read as a confident "affirm"; a plain yes
    heard below the second-yes bar or with no confidence; a plain yes scored below the bar its
    words need; a "yes" that asks back."""
    noise = [UtteranceHeard(t, lang, Parse("affirm", 0.99, (), 0.99)) for t in HALLUCINATED[lang]]
    noise += [weak_yes(lang, t, asr=SECOND_YES_ASR_MIN[lang] - 0.01) for t in YES[lang]]
    noise += [UtteranceHeard(t, lang, Parse("affirm", 0.99, (), None)) for t in YES[lang]]
    low = PLAIN_YES_MIN_CONFIDENCE - 0.01
    noise += [weak_yes(lang, t, score=low) for t in YES[lang]]
    noise += [weak_yes(lang, "yes?" if lang == "en" else "是吗？")]
    for first, second in itertools.product(noise, repeat=2):
        steps = call(lang, mode, "US", [first, second, first, second])
        assert_nothing_disclosed(lang, steps)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_stranger_who_answers_with_a_name_is_no_yes(lang: Lang) -> None:
    said = "yes this is john" if lang == "en" else "是的我是张伟"
    heard = weak_yes(lang, said)
    assert not plausible_yes(said, heard.parse, lang, NAME[lang])
    assert not _verified(lang, [heard, heard], VerificationMode.NAME)


def test_yes_then_a_question_of_its_own_verifies_and_the_disclosure_answers_it() -> None:
    said = "yes it's me what's this about"
    heard = UtteranceHeard(said, "en", Parse("affirm", 0.65, (), 1.0))
    steps = call("en", VerificationMode.NAME, "US", [heard])
    (_, after, commands) = steps[-1]
    assert after.verified
    assert base_key(says(commands)[0].prompt_key) == "disclosure.US"
