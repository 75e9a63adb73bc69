"""Session 9 (en6): what en5 left of death reports. "let him die" is a wish, never a report; a
relative's death said with the recogniser's pause (他 老婆 去年去世了) is neither the debtor's nor
verifies anyone; a person called by name with 走 and a time since (老王去年走了) died, and is the
debtor only when the name is how the debtor is called (老李 / 李大爷 of 李明)."""

from __future__ import annotations

import pytest
from test_nlu_unseen_en import call as call_en
from test_nlu_unseen_zh import call as call_zh

from core.dialogue import Lang, Outcome, RecordDeceased, Say
from nlu.bereavement import gone_by_name, reports_death, who_died
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from nlu.text import prepare
from nlu.training_data import normalize

CHECKED = [m for m in VerificationMode if m is not VerificationMode.NONE]


def _heard(line: str, lang: Lang) -> str:
    return normalize(prepare(line, lang))


@pytest.mark.parametrize(
    "line",
    [
        "let him die",
        "let them die",
        "just let him die in peace then",
        "you'll let him die over a loan",
        "let her die for all i care",
        "they can let him die, not my problem",
        "i hope you watch him die",
    ],
)
def test_a_wish_is_no_death(line: str) -> None:
    assert not reports_death(_heard(line, "en"), "en")


@pytest.mark.parametrize(
    "line",
    [
        "let me tell you, he died in june",
        "he died last year, let him rest",
        "let's be clear, she passed away",
        "he die last year",  # a learner's report stays one
    ],
)
def test_a_report_said_near_let_stays_one(line: str) -> None:
    assert who_died(_heard(line, "en"), "en") == "them"


@pytest.mark.parametrize(
    "line", ["他 老婆 去年去世了", "他 的 爸爸 前年过世了", "她 妈 已经 不在了", "他的 老公 去世了"]
)
def test_a_relatives_death_with_a_pause_is_nobodys_asked_for(line: str) -> None:
    assert who_died(_heard(line, "zh"), "zh") is None


@pytest.mark.parametrize("mode", CHECKED)
@pytest.mark.parametrize("line", ["他 老婆 去年去世了", "他 的 爸爸 前年过世了"])
def test_a_relatives_death_with_a_pause_verifies_nobody(line: str, mode: VerificationMode) -> None:
    state, out = call_zh(line, mode=mode)
    assert not state.verified
    assert state.outcome is not Outcome.DECEASED
    assert not [c for c in out if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("老王去年走了", "老王"),
        ("老王 去年走了", "老王"),
        ("老张走了两年了", "老张"),
        ("王大爷前年走的", "王大爷"),
        ("小李 走了好几年了", "小李"),
    ],
)
def test_a_name_gone_since_a_time_is_a_death(line: str, name: str) -> None:
    assert who_died(_heard(line, "zh"), "zh") == "them"
    assert gone_by_name(_heard(line, "zh"), "zh") == name


@pytest.mark.parametrize(
    "line",
    [
        "老王走了",  # left the room
        "老王刚走了",
        "老王已经走了",
        "老王去年走了 去深圳了",  # moved away
        "小李去年走了 去外地打工了",
        "老王去年就走了 搬家了",
        "那批货去年走了",
    ],
)
def test_a_name_that_left_is_no_death(line: str) -> None:
    assert who_died(_heard(line, "zh"), "zh") is None


@pytest.mark.parametrize("mode", CHECKED)
@pytest.mark.parametrize("line", ["老李去年走了", "李大爷前年走的", "小李 走了好几年了"])
def test_the_debtor_called_by_name_gone_closes_as_deceased(
    line: str, mode: VerificationMode
) -> None:
    state, out = call_zh(line, "不知道", mode=mode)  # the debtor is 李明
    assert state.outcome is Outcome.DECEASED
    assert any(isinstance(c, RecordDeceased) for c in out)
    assert not [c for c in out if isinstance(c, Say) and DEBT_WORDS.search(c.text)]


@pytest.mark.parametrize("mode", CHECKED)
@pytest.mark.parametrize("line", ["老王去年走了", "王大爷前年走的"])
def test_another_name_gone_is_no_death_of_the_debtor(line: str, mode: VerificationMode) -> None:
    state, out = call_zh(line, mode=mode)
    assert state.outcome is not Outcome.DECEASED
    assert not any(isinstance(c, RecordDeceased) for c in out)
    assert not state.verified


def test_let_him_die_through_the_policy_closes_nothing() -> None:
    state, out = call_en("en", "let him die")
    assert state.outcome is not Outcome.DECEASED
    assert not any(isinstance(c, RecordDeceased) for c in out)
