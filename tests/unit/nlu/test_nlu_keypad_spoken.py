"""A spoken answer after the keypad offer ("press 1 if you are ..."): a clear yes still verifies,
words about the debt are held and the offer is made once more (not a close), a stranger's
words end the call as anywhere; a self-claim with a mis-heard sound before it reads as one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines, prompt_keys

from core.dialogue import (
    CallAnswered,
    Lang,
    Outcome,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS

# three unclear answers: the keypad is offered (MAX_REPROMPTS + 1)
UNCLEAR = {"en": ["Thank you.", None, "mm"], "zh": ["字幕由Amara.org社区提供", None, "嗯嗯嗯嗯"]}


@pytest.mark.parametrize(
    ("lang", "promise", "yes", "readback"),
    [("en", "I can pay 200 on Friday", "yes, this is me", "confirm_promise"),
     ("en", "look I already paid that last week", "key:1", "already_paid_ask"),
     ("zh", "礼拜五我先还一千", "对 就是我", "confirm_promise"),
     ("zh", "这个钱我上个月就还了", "key:1", "already_paid_ask")],
)  # fmt: skip
def test_words_about_the_debt_at_the_keypad_offer_are_held_and_the_offer_made_again(
    lang: Lang, promise: str, yes: str, readback: str
) -> None:
    state, says = call_lines(lang, VerificationMode.NAME, [*UNCLEAR[lang], promise])
    keys = prompt_keys(says)
    assert keys[-2:] == ["verify_first", "keypad_identity"]
    assert not state.ended
    assert state.held is not None
    assert not any(DEBT_WORDS.search(s.text) for s in says)
    state, says = call_lines(lang, VerificationMode.NAME, [*UNCLEAR[lang], promise, yes])
    assert state.verified
    assert readback in prompt_keys(says)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_offer_is_made_again_only_once(lang: Lang) -> None:
    promise = {"en": "I can pay 200 on Friday", "zh": "礼拜五我先还一千"}[lang]
    state, says = call_lines(lang, VerificationMode.NAME, [*UNCLEAR[lang], promise, promise])
    assert state.outcome is Outcome.UNVERIFIED
    assert not any(DEBT_WORDS.search(s.text) for s in says)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("lang", "stranger", "outcome"),
    [("en", "you got the wrong number", Outcome.WRONG_NUMBER),
     ("en", "what is this about?", Outcome.UNVERIFIED),
     ("zh", "你打错了 没这个人", Outcome.WRONG_NUMBER), ("zh", "你是谁啊", Outcome.UNVERIFIED)],
)  # fmt: skip
def test_a_strangers_words_at_the_keypad_offer_end_the_call_without_a_debt_word(
    lang: Lang, stranger: str, outcome: Outcome, mode: VerificationMode
) -> None:
    state, says = call_lines(lang, mode, [*UNCLEAR[lang], stranger])
    assert state.outcome is outcome
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in says)


@pytest.mark.parametrize(
    ("text", "name"),
    [("等我就是刘洋 怎么了", "刘洋"), ("能我是李明", "李明"), ("恩 我就是王芳本人", "王芳")],
)
def test_a_claim_of_the_name_after_a_misheard_sound_verifies(text: str, name: str) -> None:
    facts = replace(demo_case("zh"), debtor_name=name, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("zh"), TODAY), CallAnswered(NOON))
    parse = default_parser().parse(text, "zh", TODAY).heard_with(0.7)
    state, _ = decide(state, UtteranceHeard(text, "zh", parse))
    assert state.verified


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("不我是刘洋的朋友", "刘洋"),
        ("等我是王芳", "李明"),
        ("他我就是刘洋", "刘洋"),
        ("你找刘洋啊", "刘洋"),
    ],
)
def test_no_claim_of_the_name_does_not(text: str, name: str) -> None:
    facts = replace(demo_case("zh"), debtor_name=name, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("zh"), TODAY), CallAnswered(NOON))
    parse = default_parser().parse(text, "zh", TODAY).heard_with(0.7)
    state, _ = decide(state, UtteranceHeard(text, "zh", parse))
    assert not state.verified
