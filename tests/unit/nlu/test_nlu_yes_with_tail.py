"""Right-party answers with a tail (session 9, en5, issue 9 part B): a clear "yes, it's me" /
"correct" followed by a question about the caller or an aside about the speaker's situation
verifies; the same shapes from a stranger (a bare "yes?", "he's driving", "I'm his sister") do
not. Lines written before the change (docs/nlu.md: 7/25 and 2/12 verified before)."""

from __future__ import annotations

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines

from core.dialogue import CallAnswered, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage

RIGHT_PARTY = [
    "correct, who's this please",
    "yeah yeah it's me go ahead i'm driving though",
    "that's correct, who am I speaking with",
    "correct who is this",
    "yes that's right, who's calling",
    "that's right who's calling please",
    "yes it is, who's this",
    "speaking, but make it quick i'm at work",
    "yeah it's me, i'm on my lunch break so be quick",
    "yes this is him, i'm driving right now",
    "it's me, go ahead, i've only got a minute",
    "yep that's me go ahead",
    "yes it's me, hold on let me pull over",
    "correct, and you are",
    "yes that's me, sorry it's loud here",
    "yeah this is john, i'm in the car",
    "that's me, go ahead i'm listening",
    "yes speaking, who is this",
    "that's correct, who's calling please",
    "yes, that's me. i'm at the store though",
    "yeah it's me, can you make it fast",
    "yes this is he, what company is this",
    "correct, what company are you with",
    "it is, who am i talking to",
    "mhm that's me, my kids are screaming sorry",
    "yes it's me, i'm just getting off the bus",
    "correct, who's calling me",
    "that's me, i'm at the gym so keep it short",
    "yep it's me, sorry my baby is crying",
    "this is him, who is this",
    "yes speaking i'm in a meeting though",
    "that's right, and who are you",
    "yeah it's me i'm walking the dog",
    "it's me go on",
    "yeah this is her, make it fast please",
]

STRANGERS = [
    "yeah who's this",
    "yes? who's calling",
    "hello? who is this",
    "who's asking",
    "yes, i'm driving, who is it",
    "he's driving right now, who's this",
    "no, who's this",
    "correct number but he's not here, who's this",
    "yeah he's at work, who's calling",
    "what? who is this",
    "yeah i'm driving, what is it",
    "she's busy, who's calling please",
    "not me, who's this",
    "it's his wife, who's calling",
    "this is his brother, who is this",
    "yeah, go ahead, i'm driving though",
    "who is this please",
    "hello hello who's this",
    "you've got the wrong person, who is this",
    "no this is his son, who's calling",
    "i'm his mother, who's this",
    "sorry who? i'm driving",
    "right, who's calling",
    "yes? who's this",
    "he's in a meeting, who's this",
    "yeah i'm in the car, who is it",
    "right, and you are",
    "sorry he's driving, who's calling",
    "this is his phone but he's at work",
    "yes, i'm busy, what",
    "it's not me, i'm his sister",
    "that's not right, who is this",
    "uh i'm walking the dog, who's asking",
    "she's at the gym, who is it",
]


# a second round (the last two missed at first) and a third, written after the change and
# measured before any change for it (11/12 at first: docs/nlu.md)
MORE_RIGHT_PARTY = [
    "correct, sorry, who did you say you were",
    "uh yes that's me, you caught me at a bad moment",
    "yes ma'am that's me, i'm cooking dinner though",
    "correct, who am i talking to please",
    "this is she, i'm at my desk",
    "yeah you got me, i'm on the highway so talk loud",
    "that's right, what's this regarding",
    "yes it's me, give me one second",
    "it's me, i'm outside, it's windy",
    "yep speaking, i've got five minutes",
    "yes that's correct, who's this",
    "mm hmm that's me, i'm on my break",
    "yeah it is, who's asking",
    "that's me, sorry, the reception's bad",
]

MORE_STRANGERS = [
    "who? i'm cooking dinner",
    "he's on the highway, who's this",
    "yeah, i'm at my desk, who is this",
    "that's not correct, who is this",
    "she's on her break, who's asking",
    "yeah one second, who's calling",
    "mm hmm, who is it",
    "it's his wife, i'm outside",
    "correct number, but she moved, who's this",
    "yes, hold on, who did you want",
    "that's my husband, who's this",
    "no he's on the highway",
]


@pytest.mark.parametrize("line", [*RIGHT_PARTY, *MORE_RIGHT_PARTY])
def test_a_yes_with_a_tail_verifies(line: str) -> None:
    state, _ = call_lines("en", VerificationMode.NAME, [line], heard=0.85)
    assert state.verified, line
    state, _ = call_lines("en", VerificationMode.NAME_AND_BIRTH_YEAR, [line], heard=0.85)
    assert state.stage is Stage.VERIFY_SECOND, line


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("line", [*STRANGERS, *MORE_STRANGERS])
def test_a_stranger_of_the_same_shape_stays_unverified(line: str, mode: VerificationMode) -> None:
    state, says = call_lines("en", mode, [line], heard=0.85)
    assert not state.verified, line
    assert state.stage is not Stage.VERIFY_SECOND, line
    for say in says:
        assert not DEBT_WORDS.search(say.text), say.text
        assert demo_case("en").product not in say.text


@pytest.mark.parametrize("heard", [0.3, 0.55])
def test_the_recognisers_bar_still_applies(heard: float) -> None:
    state, _ = call_lines(
        "en", VerificationMode.NAME, ["yeah yeah it's me go ahead i'm driving though"], heard=heard
    )
    assert not state.verified


def test_an_unknown_recogniser_confidence_verifies_nobody() -> None:
    state = start(demo_case("en"), load_script("en"), TODAY)
    state, _ = decide(state, CallAnswered(NOON))
    line = "correct, who's this please"
    state, _ = decide(state, UtteranceHeard(line, "en", default_parser().parse(line, "en", TODAY)))
    assert not state.verified
