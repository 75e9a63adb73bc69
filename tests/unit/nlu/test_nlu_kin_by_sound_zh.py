"""A relative's "对，他是我爸" heard "对。是我怕。" verified a stranger on main (zh9's held-out
set, espeak-ng): the line blurs b/p, d/t, g/k, and 怕 is no relation by spelling. A single
character after 是我 that sounds like a relation (爸 妈 哥 弟 姐 妹 爹) with those blurred, and is
no closing particle, makes the clause someone else's: never verified, in every setting. A yes
that ends on a particle (是我吧, 是我嘛, 是我的, 是我啊) still verifies."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.state import DialogueState, Stage

MODES = (VerificationMode.NAME, VerificationMode.NAME_AND_BIRTH_YEAR)


def _first_answer(text: str, conf: float, mode: VerificationMode) -> DialogueState:
    facts = replace(demo_case("zh"), verification=mode)
    state, _ = decide(start(facts, load_script("zh"), TODAY), CallAnswered(NOON))
    parse = default_parser().parse(text, "zh", TODAY).heard_with(conf)
    state, _ = decide(state, UtteranceHeard(text, "zh", parse))
    return state


def _accepted(state: DialogueState) -> bool:
    return state.verified or state.disclosed or state.stage is Stage.VERIFY_SECOND


@pytest.mark.parametrize(
    "heard", ["对。是我怕。", "是我八", "对，是我马", "是我个", "嗯，是我可", "是我节", "是我题"]
)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("conf", [0.5, 0.95])
def test_a_relation_heard_as_its_sound_never_verifies(
    heard: str, mode: VerificationMode, conf: float
) -> None:
    assert not _accepted(_first_answer(heard, conf, mode))


@pytest.mark.parametrize("heard", ["是我吧", "是我嘛", "是我的", "是我啊", "对，是我了", "是我呀"])
def test_a_yes_with_a_closing_particle_still_verifies(heard: str) -> None:
    assert _accepted(_first_answer(heard, 0.95, VerificationMode.NAME))
