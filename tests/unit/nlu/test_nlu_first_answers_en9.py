"""Session 12, en9: first answers to "Hello, is this Thomas Reed?" (bench/heldout/
first_answer_en_en9.yml, written before the code was changed; figures in docs/nlu.md).

Each line is the first answer, read by the real parser (heard at 0.8, as a clear line) and the
policy, under every verification setting:
- nobody but the right party (relatives, businesses, the surname alone, questions back,
  strangers) is ever verified, passed on to the second factor, or told a word of the debt;
- the right party's answers (full name, short name, lower case, "speaking", "you've got him")
  are verified, or passed on to the second factor where there is one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from safety_cases import MODES, NOON, TODAY

from core.dialogue import CallAnswered, Say, UtteranceHeard
from nlu.affirmation import plain_yes, says_who_en
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage
from simulation.spoken.corpus import load_corpus

HELD_OUT = Path(__file__).parents[3] / "bench" / "heldout" / "first_answer_en_en9.yml"
CORPUS = load_corpus(HELD_OUT)
RIGHT_PARTY = [u.text for u in CORPUS.utterances if u.intent == "affirm"]
OTHERS = [u.text for u in CORPUS.utterances if u.intent != "affirm"]


def first_answer(line: str, mode: VerificationMode) -> tuple[str, list[str]]:
    """``verified`` (or passed to the second factor), ``asked_again`` or ``other``; and what
    the bot said after the answer."""
    parser = default_parser()
    facts = replace(demo_case("en"), verification=mode, debtor_name=CORPUS.debtor or "")
    state = start(facts, load_script("en"), TODAY)
    state, _ = decide(state, CallAnswered(NOON))
    parse = parser.parse(line, "en", TODAY).heard_with(0.8)
    state, commands = decide(state, UtteranceHeard(line, "en", parse))
    said = [c.text for c in commands if isinstance(c, Say)]
    if state.verified or state.disclosed or state.stage is Stage.VERIFY_SECOND:
        return "verified", said
    return ("asked_again" if state.stage is Stage.VERIFY_NAME else "other"), said


def test_the_held_out_set_is_what_it_says() -> None:
    assert CORPUS.debtor == "Thomas Reed"
    assert len(RIGHT_PARTY) >= 30
    assert len(OTHERS) >= 50


@pytest.mark.parametrize("line", OTHERS)
@pytest.mark.parametrize("mode", MODES)
def test_nobody_else_is_verified_or_told_of_the_debt(line: str, mode: VerificationMode) -> None:
    verdict, said = first_answer(line, mode)
    assert verdict != "verified", said
    assert not [s for s in said if DEBT_WORDS.search(s)], said


@pytest.mark.parametrize("line", RIGHT_PARTY)
@pytest.mark.parametrize("mode", MODES)
def test_the_right_party_is_verified(line: str, mode: VerificationMode) -> None:
    verdict, said = first_answer(line, mode)
    assert verdict == "verified", said


# the surname alone, said as who speaks: his, or his wife's, father's, son's (written with the
# decision, after the held-out run: never a yes alone, the question again with his name in full)
SURNAME_FRAMES = [
    "{s} speaking.",
    "{s} here.",
    "Mr. {s}, yes.",
    "yes this is {s}",
    "it's {s}",
    "yeah {s} here",
    "mister {s} yes",
    "{s} speaking, how can I help?",
]
NAMES = ["Thomas Reed", "John Smith", "Maria Garcia", "Kevin O'Brien", "Aisha Khan"]


def _surname_lines() -> list[tuple[str, str]]:
    return [
        (name, frame.format(s=name.split()[-1]))
        for i, name in enumerate(NAMES)
        for frame in SURNAME_FRAMES[i % 2 :: 2]
    ]


def _call(name: str, mode: VerificationMode, lines: list[str]) -> tuple[bool, list[Say]]:
    parser = default_parser()
    facts = replace(demo_case("en"), verification=mode, debtor_name=name)
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(NOON))
    said: list[Say] = []
    for line in lines:
        parse = parser.parse(line, "en", TODAY).heard_with(0.8)
        state, commands = decide(state, UtteranceHeard(line, "en", parse))
        said = [c for c in commands if isinstance(c, Say)]
    passed = state.verified or state.stage is Stage.VERIFY_SECOND
    return passed, said


@pytest.mark.parametrize(("name", "line"), _surname_lines())
@pytest.mark.parametrize("mode", MODES)
def test_the_surname_alone_is_asked_again_with_his_name_in_full(
    name: str, line: str, mode: VerificationMode
) -> None:
    passed, said = _call(name, mode, [line])
    assert not passed
    assert [s.prompt_key.split("#")[0] for s in said] == ["name_in_full", "ask_name"]
    assert name in said[-1].text
    assert not [s for s in said if DEBT_WORDS.search(s.text)]


@pytest.mark.parametrize(("name", "line"), _surname_lines()[::3])
def test_after_the_surname_his_plain_yes_verifies(name: str, line: str) -> None:
    passed, _ = _call(name, VerificationMode.NAME, [line, "yes, that's me"])
    assert passed


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [("it's tom", "Thomas Reed", True), ("hi its thomas", "Thomas Reed", True),
     ("yeah i'm tommy", "Thomas Reed", True), ("it's liz", "Elizabeth Cruz", True),
     ("it's bill", "William Ortiz", True), ("it's tim", "Thomas Reed", False),
     ("it's ben", "William Ortiz", False), ("this is tom's phone", "Thomas Reed", False),
     ("it's tom's", "Thomas Reed", False), ("it's fine", "Thomas Reed", False)],
)  # fmt: skip
def test_his_short_name_in_lower_case_is_a_plain_yes(text: str, name: str, expected: bool) -> None:
    """One matcher of his own name (affirmation.plain_yes), short forms by sound, no capitals."""
    assert plain_yes(text, "en", name) is expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [("no wait yes it's me", True), ("oh you found him", True), ("you are talking to her", True),
     ("yes this is he", True), ("yes", False), ("it's mine", False), ("this is his", False)],
)  # fmt: skip
def test_the_words_that_say_who_speaks_are_one_list(words: str, expected: bool) -> None:
    assert says_who_en(words) is expected
