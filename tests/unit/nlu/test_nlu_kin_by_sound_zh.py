"""A relative's "对，他是我爸" heard "对。是我怕。" verified a stranger on main (zh9's held-out
set, espeak-ng): the line blurs b/p, d/t, g/k, and 怕 is no relation by spelling. A single
character after 是我 that sounds like a relation (爸 妈 哥 弟 姐 妹 爹) with those blurred, and is
no closing particle, makes the clause someone else's: never verified, in every setting. A yes
that ends on a particle (是我吧, 是我嘛, 是我的, 是我啊) still verifies."""

from __future__ import annotations

import pytest
from safety_cases import MODES_ZH as MODES
from safety_cases import accepted as _accepted
from safety_cases import first_answer_zh as _first_answer

from nlu.policy import VerificationMode


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
