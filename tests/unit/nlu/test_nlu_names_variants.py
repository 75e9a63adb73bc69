"""Session 10 (en7): the debtor's given name in another spelling of the same sound, as the
recogniser prints it ("Yep, Lewis" for Luis: asked again in the integrator's sandbox call), is the
debtor's own name; a name that only comes near it (Louise for Luis, Shane for Shawn, Carol for
Carl: a wife, a brother) is somebody else. Lines written before the change (docs/nlu.md,
"Session 10, en7"); verification by name alone, the classifier sure of its yes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Parse, UtteranceHeard
from nlu.name_sounds import sound_key
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.names import claims_own_name_en


def _verified(name: str, text: str) -> bool:
    facts = replace(demo_case("en"), debtor_name=name, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(NOON))
    state, _ = decide(state, UtteranceHeard(text, "en", Parse("affirm", 0.95, (), 0.9)))
    return state.verified


OWN = [
    ("Luis Garcia", "Yep, Lewis"),
    ("Luis Garcia", "yes this is Louis"),
    ("Luis Garcia", "Lewis speaking"),
    ("Luis Garcia", "yeah it's Lewis Garcia"),
    ("Louis Martin", "Yes, Luis."),
    ("Lewis Hamilton", "yes this is Louis"),
    ("Sean Murphy", "yes this is Shawn"),
    ("Sean Murphy", "Shaun here"),
    ("Shawn Miller", "yeah this is Sean"),
    ("Shaun Price", "Yes, Shawn Price speaking."),
    ("Jon Baker", "yes this is John"),
    ("Kathryn Lee", "yes this is Katherine"),
    ("Catherine Moss", "this is Kathryn Moss"),
    ("Stephen Clark", "yes Steven speaking"),
    ("Amy Wong", "yes this is Aimee"),
    ("Aimee Wong", "yeah it's Amy"),
    ("Jeffrey Hall", "this is Geoffrey"),
    ("Geoffrey Hall", "yep Jeffrey here"),
    ("Brian Cole", "yes this is Bryan"),
    ("Alan Reed", "yes this is Allen"),
    ("Eric Young", "this is Erik"),
    ("Caitlin Ross", "yeah this is Kaitlyn"),
    ("Megan Ford", "yes this is Meghan"),
    ("Teresa Diaz", "this is Theresa"),
]
STRANGERS = [
    ("Luis Garcia", "Yep, Kevin"),
    ("Luis Garcia", "yes this is Louise"),
    ("Luis Garcia", "Yes, Louise."),
    ("Luis Garcia", "Lois speaking"),
    ("Luis Garcia", "this is Lucas"),
    ("Louis Martin", "yes this is Louise"),
    ("Louise Martin", "yes this is Louis"),
    ("Louise Martin", "yeah this is Lewis"),
    ("Sean Murphy", "yes this is Shane"),
    ("Shawn Miller", "yeah Shane here"),
    ("Sean Murphy", "this is Sheena"),
    ("Amy Wong", "yes this is Emmy"),
    ("Amy Wong", "yes this is Annie"),
    ("Jeffrey Hall", "yes this is Godfrey"),
    ("Jon Baker", "yes this is Joan"),
    ("Catherine Moss", "this is Kathleen"),
    ("Stephen Clark", "yes this is Stephanie"),
    ("Carl Jones", "yes this is Carol"),
    ("Carol Jones", "yes this is Carl"),
    ("Brian Cole", "yes this is Brianna"),
    ("Diana Cruz", "yes this is Dina"),
    ("Eric Young", "this is Erica"),
    # written after the first change, from the pairs bench/name_tolerance.py still merged
    ("Gary Stone", "yes this is Carrie"),
    ("Carrie Stone", "yes this is Gary"),
    ("Ross Dunn", "yes this is Rose"),
    ("Maria Lopez", "yes this is Mara"),
    # a learner's frames, written with the session's fresh lines: another name is somebody else
    ("Luis Garcia", "me kevin yes"),
    ("Luis Garcia", "Kevin here go ahead"),
]


@pytest.mark.parametrize(("name", "text"), OWN, ids=[f"{n}:{t}" for n, t in OWN])
def test_the_debtors_name_in_another_spelling_verifies(name: str, text: str) -> None:
    assert claims_own_name_en(text, name)
    assert _verified(name, text)


@pytest.mark.parametrize(("name", "text"), STRANGERS, ids=[f"{n}:{t}" for n, t in STRANGERS])
def test_a_name_only_near_the_debtors_never_verifies(name: str, text: str) -> None:
    assert not claims_own_name_en(text, name)
    assert not _verified(name, text)


def test_the_spellings_of_one_name_share_a_key_and_no_more() -> None:
    assert len({sound_key(n) for n in ("Luis", "Lewis", "Louis", "luis")}) == 1
    assert sound_key("Louise") != sound_key("Louis")
    assert len({sound_key(n) for n in ("Sean", "Shawn", "Shaun")}) == 1
    assert sound_key("Shane") != sound_key("Shawn")
