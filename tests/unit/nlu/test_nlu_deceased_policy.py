"""A debtor reported dead, through the real parser and policy, in every verification setting:
condolences, no debt word, no question about when to reach the dead, one question about who
handles the affairs, a polite close with ``Outcome.DECEASED`` and ``RecordDeceased``; the
verified debtor's own loss is hardship."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines, prompt_keys

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    Lang,
    Outcome,
    Parse,
    RecordDeceased,
    RecordHardship,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import DialogueState, Stage

# (language, turns before the death report, the report): the report wins at every stage
REPORTS: list[tuple[Lang, list[str | None], str]] = [
    ("en", [], "she passed away last year"),
    ("en", [], "oh, John died in March"),
    ("en", [], "I'm sorry, he's no longer with us"),
    ("en", ["Who is this?"], "he's deceased"),
    ("en", ["He's not here."], "well actually he passed away in june"),  # asked when to reach him
    ("en", [], "my husband passed away two years ago"),
    ("en", [None], "we lost him last spring, the funeral was in may"),
    ("zh", [], "他去年去世了"),
    ("zh", [], "人已经走了"),
    ("zh", ["你找谁"], "他走了两年了"),
    ("zh", ["他不在"], "其实他已经过世了"),
    ("zh", [], "我老公去年过世了"),
    ("zh", [], "他已经不在了"),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("lang", "before", "report"), REPORTS)
def test_a_death_report_closes_with_condolences(
    lang: Lang, before: list[str | None], report: str, mode: VerificationMode
) -> None:
    state, says = call_lines(lang, mode, [*before, report, None])  # no answer to the question
    assert state.outcome is Outcome.DECEASED
    assert not state.verified
    keys = prompt_keys(says)
    assert keys[-2:] == ["deceased_estate_ask", "deceased_close"]
    assert "third_party_ask_time" not in keys[keys.index("greeting") + 1 + len(before) :]
    facts = demo_case(lang)
    for say in says:
        assert not DEBT_WORDS.search(say.text), say.text
        assert facts.product not in say.text


def _verified(lang: Lang) -> DialogueState:
    facts = replace(demo_case(lang), verification=VerificationMode.NONE)
    state = start(facts, load_script(lang), TODAY)
    state, _ = decide(state, CallAnswered(NOON))
    assert state.verified
    return state


def _hear(
    state: DialogueState, lang: Lang, text: str
) -> tuple[DialogueState, list[DialogueCommand]]:
    parse = default_parser().parse(text, lang, TODAY).heard_with(0.9)
    return decide(state, UtteranceHeard(text, lang, parse))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "my husband died last month"),
        ("en", "my mom passed away, it's been hard"),
        ("en", "he passed away in october"),  # the verified debtor speaks of someone else
        ("zh", "我老公上个月去世了"),
        ("zh", "我爸去年走了"),
    ],
)
def test_the_verified_debtors_own_loss_is_not_the_debtors_death(lang: Lang, text: str) -> None:
    state, commands = _hear(_verified(lang), lang, text)
    assert state.outcome is not Outcome.DECEASED
    assert not any(isinstance(c, RecordDeceased) for c in commands)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "John died last year, I'm his wife"),
        ("en", "the account holder passed away"),
        ("zh", "李明已经去世了"),
        ("zh", "借款人已经去世了"),
    ],
)
def test_after_verification_a_death_naming_the_debtor_wins(lang: Lang, text: str) -> None:
    state, commands = _hear(_verified(lang), lang, text)
    assert state.stage is Stage.ESTATE_CONTACT  # the condolences and who handles the affairs
    assert any(isinstance(c, RecordDeceased) for c in commands)


def test_the_verified_debtors_loss_with_hardship_is_recorded_as_hardship() -> None:
    state, commands = _hear(_verified("en"), "en", "my wife died and I can't pay right now")
    assert state.outcome is not Outcome.DECEASED
    assert any(isinstance(c, RecordHardship) for c in commands) or state.hardship


def test_an_unsurely_heard_report_does_not_stop_the_case() -> None:
    facts = replace(demo_case("en"), verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("en"), TODAY), CallAnswered(NOON))
    parse = Parse("deceased", 1.0, (), 0.1)
    state, _ = decide(state, UtteranceHeard("he died", "en", parse))
    assert state.outcome is not Outcome.DECEASED
