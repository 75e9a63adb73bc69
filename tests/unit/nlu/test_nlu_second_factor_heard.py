"""The second factor as the recogniser writes it (issue 9, asr5): years and ids said in groups
("twenty-four sixty-eight", "nineteen eighty five") are read; what no adult was born in ("17."
tiny.en for "seventy-nine", "seventeen nine") is asked again, never counted as a wrong year; a
year said plainly outweighs an unsure intent ("It's eighty five." scored third party 0.32); a
year said of someone else never verifies. The factor still has to match the record exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Lang, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.common import spoken_digits
from nlu.policy.state import DialogueState, Stage

NAME_YES = {"en": "yes this is john", "zh": "对，我是李明"}


def _asked(lang: Lang, *, year: int | None = None, last4: str | None = None) -> DialogueState:
    mode = VerificationMode.NAME_AND_ID_LAST4 if last4 else VerificationMode.NAME_AND_BIRTH_YEAR
    facts = replace(demo_case(lang), verification=mode, birth_year=year, id_last4=last4)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    state = _say(state, lang, NAME_YES[lang])
    assert state.stage is Stage.VERIFY_SECOND
    return state


def _say(state: DialogueState, lang: Lang, text: str, conf: float = 0.9) -> DialogueState:
    parse = default_parser().parse(text, lang, TODAY).heard_with(conf)
    return decide(state, UtteranceHeard(text, lang, parse))[0]


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("Nineteen eighty five.", "1985"),
        ("Twenty-four sixty-eight.", "2468"),
        ("Fifty one twenty three.", "5123"),
        ("Seventy-one eighty.", "7180"),
        ("Thirteen fifty-seven.", "1357"),
        ("twenty oh five", "2005"),
        ("twenty twelve", "2012"),
        ("Eighty three.", "83"),
        ("nine oh one two", "9012"),
        ("two thousand one", "2001"),
        ("I was born in seventeen nine.", "179"),  # tiny.en for "'79": three digits, no year
        ("Nineteen nine.", "199"),  # "nineteen ninety" cut short: no year either
    ],
)
def test_numbers_said_in_groups_are_read_group_by_group(text: str, digits: str) -> None:
    assert spoken_digits(text, "en") == digits


@pytest.mark.parametrize(
    ("lang", "text", "year"),
    [
        ("en", "It's eighty five.", 1985),  # scored third party at 0.32
        ("en", "Nineteen seventy-nine.", 1979),
        ("en", "I was born in '79.", 1979),
        ("en", "79.", 1979),
        ("en", "Oh two.", 2002),
        ("zh", "八八年的。", 1988),
        ("zh", "我是九零年的。", 1990),
    ],
)
def test_a_year_said_any_way_verifies(lang: Lang, text: str, year: int) -> None:
    assert _say(_asked(lang, year=year), lang, text).verified


@pytest.mark.parametrize(
    ("lang", "text", "last4"),
    [
        ("en", "Twenty-four sixty-eight.", "2468"),
        ("en", "Fifty one twenty three.", "5123"),
        ("zh", "二四六八。", "2468"),
    ],
)
def test_id_digits_said_in_pairs_verify(lang: Lang, text: str, last4: str) -> None:
    assert _say(_asked(lang, last4=last4), lang, text).verified


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "17."),
        ("en", "I was born in seventeen nine."),
        ("en", "Twenty nineteen."),
        ("en", "1350."),
        ("zh", "一七年。"),
    ],
)
def test_no_adults_year_is_asked_again_not_counted_wrong(lang: Lang, text: str) -> None:
    state = _say(_asked(lang, year=1979), lang, text)
    assert not state.verified
    assert not state.ended
    assert state.verify_failures == 0
    assert state.stage is Stage.VERIFY_SECOND


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "she was born in 85"),
        ("en", "his year is 85"),
        ("en", "my wife was born in eighty five"),
        ("en", "he's eighty five"),
        ("zh", "他是八五年的"),
        ("zh", "我老婆是八五年的"),
    ],
)
def test_a_year_said_of_someone_else_never_verifies(lang: Lang, text: str) -> None:
    assert not _say(_asked(lang, year=1985), lang, text).verified


@pytest.mark.parametrize("text", ["Eighty six.", "Nineteen eighty four.", "It's seventy-five."])
def test_a_clear_wrong_year_is_still_a_failure(text: str) -> None:
    state = _say(_asked("en", year=1985), "en", text)
    assert not state.verified
    assert state.verify_failures == 1
