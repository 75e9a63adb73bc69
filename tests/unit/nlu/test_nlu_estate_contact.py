"""Session 9 (en6): after a death report, one question about who handles the deceased's affairs
(a letter could go to them), in both languages and every verification setting: a name or a
number said is noted (``RecordEstateContact``), "no", "I don't know", silence, the keypad or a
hang-up close politely as ``DECEASED``; nothing of the debt is ever said."""

from __future__ import annotations

import pytest
from safety_cases import MODES, call_lines, prompt_keys
from test_nlu_unseen_en import call as call_en
from test_nlu_unseen_zh import call as call_zh

from core.dialogue import (
    CallerHungUp,
    DialogueCommand,
    Lang,
    Outcome,
    RecordDeceased,
    RecordEstateContact,
    Say,
)
from nlu.estate import gives_contact
from nlu.policy import DialogueState, VerificationMode, decide, demo_case
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import Stage

REPORT = {"en": "she passed away in march", "zh": "他去年去世了"}

GIVES = [
    ("en", "yes, her son mark handles it, 555 201 3344"),
    ("en", "that would be me, i'm the executor"),
    ("en", "you can write to her daughter susan"),
    ("en", "um her lawyer, mister patel"),
    ("en", "i don't know, maybe talk to her brother"),
    ("en", "call oh seven seven oh nine eight seven six five four"),
    ("zh", "他儿子在管 电话一三八一二三四五六七八"),
    ("zh", "我来处理吧 我是他女儿"),
    ("zh", "找他老婆 号码13912345678"),
    ("zh", "有个律师在办"),
]
NONE = [
    ("en", "no"),
    ("en", "i don't know"),
    ("en", "nobody, sorry"),
    ("en", "no, not really"),
    ("en", "why do you need that"),
    ("en", "please just leave me alone"),
    ("zh", "没有"),
    ("zh", "不知道"),
    ("zh", "不清楚啊"),
    ("zh", "你问这个干什么"),
]


@pytest.mark.parametrize(("lang", "line"), GIVES)
def test_a_name_or_number_is_a_contact(lang: Lang, line: str) -> None:
    assert gives_contact(line, lang)


@pytest.mark.parametrize(("lang", "line"), NONE)
def test_no_or_i_dont_know_is_none(lang: Lang, line: str) -> None:
    assert not gives_contact(line, lang)


def _call(lang: Lang, *lines: str) -> tuple[DialogueState, list[DialogueCommand]]:
    return call_en(lang, *lines) if lang == "en" else call_zh(*lines)


def _said(out: list[DialogueCommand]) -> list[str]:
    return [c.text for c in out if isinstance(c, Say)]


@pytest.mark.parametrize(("lang", "line"), GIVES)
def test_the_contact_said_is_noted_and_the_call_closes(lang: Lang, line: str) -> None:
    state, out = _call(lang, REPORT[lang], line)
    assert state.outcome is Outcome.DECEASED
    assert [c.said for c in out if isinstance(c, RecordEstateContact)] == [line]
    assert sum(isinstance(c, RecordDeceased) for c in out) == 1
    assert not [t for t in _said(out) if DEBT_WORDS.search(t)]


@pytest.mark.parametrize(("lang", "line"), NONE)
def test_any_other_answer_closes_politely_with_nothing_noted(lang: Lang, line: str) -> None:
    state, out = _call(lang, REPORT[lang], line)
    assert state.outcome is Outcome.DECEASED
    assert not any(isinstance(c, RecordEstateContact) for c in out)
    assert not [t for t in _said(out) if DEBT_WORDS.search(t)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hang_up_at_the_question_ends_as_deceased(lang: Lang) -> None:
    state, out = _call(lang, REPORT[lang])
    assert state.stage is Stage.ESTATE_CONTACT
    assert any(isinstance(c, RecordDeceased) for c in out)
    state, _ = decide(state, CallerHungUp())
    assert state.outcome is Outcome.DECEASED


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("answer", [None, "key:1", "stop calling me", "2"])
def test_one_question_then_the_close_in_every_setting(
    lang: Lang, mode: VerificationMode, answer: str | None
) -> None:
    state, says = call_lines(lang, mode, [REPORT[lang], answer])
    assert state.outcome is Outcome.DECEASED
    keys = prompt_keys(says)
    assert keys.count("deceased_estate_ask") == 1
    assert keys[-1] in ("deceased_close", "deceased_close_noted")
    facts = demo_case(lang)
    for say in says:
        assert not DEBT_WORDS.search(say.text), say.text
        assert facts.product not in say.text
