"""The second factor (year of birth) asked after the name: what the debtor says about the debt
instead ("I can pay 200 on Friday", "我已经还了") is understood and put off until verification,
never counted as a wrong year, whatever digits it holds; a year said any way still verifies."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import NOON, TODAY

from core.dialogue import CallAnswered, Lang, Say, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import DialogueState, Stage

NAME_YES = {"en": "yes this is john", "zh": "对，我是李明"}


def _at_second_factor(lang: Lang) -> DialogueState:
    facts = replace(demo_case(lang), verification=VerificationMode.NAME_AND_BIRTH_YEAR)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    state, _ = _say(state, lang, NAME_YES[lang])
    assert state.stage is Stage.VERIFY_SECOND
    return state


def _say(state: DialogueState, lang: Lang, text: str) -> tuple[DialogueState, list[Say]]:
    parse = default_parser().parse(text, lang, TODAY).heard_with(0.9)
    state, commands = decide(state, UtteranceHeard(text, lang, parse))
    return state, [c for c in commands if isinstance(c, Say)]


ABOUT_THE_DEBT = [
    ("en", "I can pay 200 on Friday"),
    ("en", "look I can do 2000 by the 15th"),  # four digits, like a year
    ("en", "I already paid this last week"),
    ("en", "I'm not paying, this isn't even my loan"),
    ("en", "can I split it into payments"),
    ("zh", "我周五先还两千"),
    ("zh", "我上个月已经还清了"),
    ("zh", "这笔钱不是我借的"),
    ("zh", "能不能分期啊"),
]


@pytest.mark.parametrize(("lang", "text"), ABOUT_THE_DEBT)
def test_words_about_the_debt_are_put_off_not_counted_as_a_wrong_year(
    lang: Lang, text: str
) -> None:
    state, says = _say(_at_second_factor(lang), lang, text)
    assert not state.verified
    assert not state.ended
    assert state.verify_failures == 0  # "doesn't match our records" would be a lie
    assert [s.prompt_key.split("#")[0] for s in says][:1] == ["verify_first"]
    assert not any(DEBT_WORDS.search(s.text) for s in says)
    year = {"en": "nineteen eighty five", "zh": "一九八八"}[lang]
    state, _ = _say(state, lang, year)
    assert state.verified


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I was born in 1985"),
        ("en", "eighty five"),
        ("en", "uh it's nineteen eighty-five"),
        ("zh", "我是八八年的"),
        ("zh", "1988年"),
    ],
)
def test_a_year_said_any_way_verifies(lang: Lang, text: str) -> None:
    state, _ = _say(_at_second_factor(lang), lang, text)
    assert state.verified


@pytest.mark.parametrize(("lang", "text"), [("en", "nineteen seventy"), ("zh", "一九七零")])
def test_a_wrong_year_still_counts_and_two_end_the_call(lang: Lang, text: str) -> None:
    state, _ = _say(_at_second_factor(lang), lang, text)
    assert state.verify_failures == 1
    assert not state.verified
    state, says = _say(state, lang, text)
    assert state.ended
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in says)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "1985, and I can pay 200 on Friday"), ("zh", "八八年的 礼拜五还两千")],
)
def test_a_year_said_as_one_beside_a_promise_verifies_and_the_promise_is_read_back(
    lang: Lang, text: str
) -> None:
    state, says = _say(_at_second_factor(lang), lang, text)
    assert state.verified
    assert [s.prompt_key.split("#")[0] for s in says][-1] == "confirm_promise"


@pytest.mark.parametrize(("lang", "text"), [("en", "1985, and I can pay 200 on Friday")])
def test_a_year_beside_a_promise_is_no_attempt_at_an_id(lang: Lang, text: str) -> None:
    facts = replace(
        demo_case(lang), verification=VerificationMode.NAME_AND_ID_LAST4, id_last4="2468"
    )
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    state, _ = _say(state, lang, NAME_YES[lang])
    assert state.stage is Stage.VERIFY_SECOND
    state, says = _say(state, lang, text)
    assert state.verify_failures == 0  # the birth year was not asked: not a wrong id
    assert not state.verified
    assert state.held is not None
    assert says[0].prompt_key.split("#")[0] == "verify_first"
