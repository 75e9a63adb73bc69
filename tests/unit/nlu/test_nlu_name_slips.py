"""A debtor's name heard with a liquid dropped ("This is Gloria, who's calling?" heard "This is
Goria…"), measured before changing anything (``bench/name_tolerance.py``): a comparison that
forgives one dropped l/r recovers 11 of 12 such slips but takes 154 more pairs of distinct
common names for the same person, Cora, Corey and Kora for Gloria among them. So no tolerance:
the slip is no claim of the debtor's name and no claim of somebody else's either; it is asked
again, and the debtor's next yes verifies. A stranger of the same sound never verifies."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY

from core.dialogue import CallAnswered, Say, UtteranceHeard
from nlu.name_sounds import sound_key
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.names import names_another
from nlu.policy.state import DialogueState, Stage


def _turns(name: str, mode: VerificationMode, *lines: str) -> tuple[DialogueState, list[Say]]:
    facts = replace(demo_case("en"), verification=mode, debtor_name=name, id_last4="2468")
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(NOON))
    said: list[Say] = []
    for line in lines:
        parse = default_parser().parse(line, "en", TODAY).heard_with(0.95)
        state, commands = decide(state, UtteranceHeard(line, "en", parse))
        said += [c for c in commands if isinstance(c, Say)]
    return state, said


@pytest.mark.parametrize(
    ("debtor", "slip", "stranger"),
    # (Gloria's slip Goria, three syllables, no longer shares Cora's key since session 10)
    [("Clara", "Cara", "Kara"), ("Priya", "Piya", "Pia"),
     ("Bradley", "Badley", "Batley")],
)  # fmt: skip
def test_a_dropped_liquid_sounds_exactly_like_another_name(
    debtor: str, slip: str, stranger: str
) -> None:
    """Why no tolerance: whatever forgives the slip forgives the stranger of the same key."""
    assert sound_key(slip) != sound_key(debtor)
    assert sound_key(slip) == sound_key(stranger)


@pytest.mark.parametrize(
    "line",
    [
        "This is Cora, who's calling?",
        "Yes, this is Cora.",
        "yeah Corey speaking",
        "This is Goria, who's calling?",
        "Yes, this is Goria.",
        "Goria here, what's this about?",
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_neither_the_slip_nor_a_stranger_of_its_sound_verifies(
    line: str, mode: VerificationMode
) -> None:
    state, said = _turns("Gloria Reyes", mode, line)
    assert not state.verified
    assert state.stage is Stage.VERIFY_NAME  # asked again: no second factor, no close
    assert not state.ended
    assert not any(DEBT_WORDS.search(s.text) for s in said)


@pytest.mark.parametrize("mode", MODES)
def test_the_debtor_heard_with_a_slip_is_verified_by_her_next_yes(mode: VerificationMode) -> None:
    state, _ = _turns("Gloria Reyes", mode, "This is Goria, who's calling?", "Yes, that's me.")
    assert state.verified or state.stage is Stage.VERIFY_SECOND


def test_the_slip_is_not_taken_for_somebody_else_where_the_words_allow_it() -> None:
    # "Goria" names another by its key today; the policy still only asks again (above), never
    # ends the call as a wrong number on it
    assert names_another("yes this is goria", "en", "Gloria Reyes")
    state, _ = _turns("Gloria Reyes", VerificationMode.NAME, "Yes, this is Goria.")
    assert not state.ended
