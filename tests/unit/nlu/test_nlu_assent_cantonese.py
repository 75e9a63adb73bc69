"""A bare assent to a read-back, and Cantonese words in Mandarin speech.

"mm-hm" to "150 dollars on Tuesday, is that correct?" was out_of_scope and asked again until the
call closed; 系我 (Cantonese for 是我) was no yes, 唔系 no "not", 佢 no "he". Through the real
parser and policy; strangers stay strangers."""

from __future__ import annotations

import pytest
from safety_cases import MODES, call_lines

from core.dialogue import Lang, Outcome, Parse
from nlu.parser import default_parser
from nlu.policy import VerificationMode
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.negotiation import assents
from nlu.text import mandarin_words

SECOND = {"en": "nineteen eighty five", "zh": "一九八八"}


@pytest.mark.parametrize(
    "reply", ["mm-hm", "Mhm.", "uh huh", "mm hmm", "okay", "嗯嗯", "系呀", "行"]
)
def test_a_bare_assent_confirms_a_read_back(reply: str) -> None:
    assert assents(reply, Parse("out_of_scope", 0.8))


@pytest.mark.parametrize("reply", ["mm, no", "hmm what", "um I don't know", "嗯 不对", "好像不是"])
def test_a_hesitation_or_no_is_no_assent(reply: str) -> None:
    assert not assents(reply, Parse("out_of_scope", 0.8))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_promise_read_back_answered_mm_hm_is_recorded(lang: Lang) -> None:
    promise = "I can pay 200 on Friday" if lang == "en" else "我礼拜五还两千"
    yes = "yes this is john" if lang == "en" else "是我"
    state, _ = call_lines(lang, VerificationMode.NAME, [yes, promise, "mm-hm" if lang == "en"
                                                           else "嗯嗯"])  # fmt: skip
    assert state.outcome is Outcome.PROMISE_TO_PAY


@pytest.mark.parametrize(
    ("said", "mandarin"),
    [("系我啊", "是我啊"), ("唔系我", "不是我"), ("佢唔喺度", "他不在度"), ("我冇钱", "我没有钱"),
     ("系咪陈生", "是不是陈生"), ("唔，是我", "唔，是我"), ("关系不大", "关系不大"),
     ("系统坏了", "系统坏了"), ("我联系过你们", "我联系过你们")],
)  # fmt: skip
def test_cantonese_words_read_as_mandarin(said: str, mandarin: str) -> None:
    assert mandarin_words(said) == mandarin


@pytest.mark.parametrize(
    ("line", "intent"),
    [("系我啊", "affirm"), ("佢唔喺度", "third_party"), ("系呀 系我", "affirm")],
)
def test_the_parser_reads_them(line: str, intent: str) -> None:
    assert (
        default_parser().parse(line, "zh", __import__("datetime").date(2026, 12, 7)).intent
        == intent
    )


@pytest.mark.parametrize("line", ["唔系我", "佢唔喺度", "边个啊", "你揾边个", "系边个"])
@pytest.mark.parametrize("mode", MODES)
def test_a_cantonese_stranger_hears_nothing_of_the_debt(line: str, mode: VerificationMode) -> None:
    state, said = call_lines("zh", mode, [line, line], heard=0.95)
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in said)


@pytest.mark.parametrize("mode", MODES)
def test_a_cantonese_yes_verifies_at_once(mode: VerificationMode) -> None:
    factor = "2468" if mode is VerificationMode.NAME_AND_ID_LAST4 else SECOND["zh"]
    state, _ = call_lines("zh", mode, ["系我啊 李明", factor], heard=0.9)
    assert state.verified
