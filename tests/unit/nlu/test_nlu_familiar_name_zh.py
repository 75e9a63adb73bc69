"""A Mandarin debtor who answers "请问是李明吗？" with how family and friends call him (zh9):
阿明, 小明, 明明, 明哥 are his given name said familiarly, a yes as English "it's Dave" is for
David (asked again on main). Someone else's name or familiar name (阿强, 小王, 阿敏), a surname
form any Li in the family says of himself (小李, 老李), and the familiar name followed by who
the speaker is to him (阿明他妈, 明哥的老婆, 阿明哥哥) never verify, in every setting."""

from __future__ import annotations

import pytest
from safety_cases import MODES_ZH as MODES
from safety_cases import accepted as _accepted
from safety_cases import first_answer_zh as _first_answer

from nlu.policy import VerificationMode
from nlu.policy.names import familiar_form_zh, with_debtor_name


@pytest.mark.parametrize(
    "heard",
    ["我是阿明", "嗯，我是小明", "对，我就是明哥", "我是明明", "我是阿明啊", "我是阿鸣。"],
)
@pytest.mark.parametrize("mode", MODES)
def test_his_familiar_name_as_who_speaks_is_a_yes(heard: str, mode: VerificationMode) -> None:
    assert _accepted(_first_answer(heard, 0.9, mode))


@pytest.mark.parametrize(
    "heard",
    [
        "我是阿强",
        "我是小王",
        "我是阿敏",
        "我是小敏",
        "我是小李",
        "我是老李",
        "我是阿明他妈",
        "我是小明他爸",
        "我是明哥的老婆",
        "我是阿明的朋友",
        "我是阿明哥哥",
        "我是明哥哥",
        "我是小明妈妈",
        "阿明不在家",
        "这是阿明的手机",
        "不是，我是阿强",
    ],
)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("conf", [0.5, 0.95])
def test_another_name_or_his_relative_never_verifies(
    heard: str, mode: VerificationMode, conf: float
) -> None:
    assert not _accepted(_first_answer(heard, conf, mode))


def test_familiar_forms_are_of_the_given_name_by_sound() -> None:
    assert familiar_form_zh("阿明", "李明")
    assert familiar_form_zh("明哥", "李明")
    assert familiar_form_zh("小强", "张伟强")
    assert not familiar_form_zh("小李", "李明")
    assert not familiar_form_zh("阿敏", "李明")  # min3, not ming2
    assert not familiar_form_zh("阿明哥", "李明")
    assert not familiar_form_zh("阿明", "欧")  # no given name to call familiarly


def test_the_claim_is_spelled_with_his_name() -> None:
    assert with_debtor_name("我是阿明", "zh", "李明") == "我是李明"
    assert with_debtor_name("我是阿明他妈", "zh", "李明") == "我是李明他妈"
    assert with_debtor_name("我是阿强", "zh", "李明") == "我是阿强"
