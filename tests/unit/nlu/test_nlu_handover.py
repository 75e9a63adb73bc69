"""The phone handed over while we ask who speaks ("hold on, here he is", "你等一下我叫他"): the
call holds, then asks again from the start; whoever comes is verified like anyone else and
nothing about a debt is said to the one who handed it over (nlu.policy.handover)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines, prompt_keys

from core.dialogue import (
    CallAnswered,
    Lang,
    Outcome,
    Say,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.handover import MAX_HANDOVERS, hands_over
from nlu.policy.state import Stage


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "hang on, let me get him"), ("en", "One sec, I'll go grab her."),
     ("en", "Hold on. He's coming to the phone."), ("en", "ok let me put her on"),
     ("en", "hold on please"), ("en", "uh, just a second"), ("en", "yeah he's right here"),
     ("zh", "稍等 我去叫她"), ("zh", "你等会儿，他马上就来"), ("zh", "我把电话给他"),
     ("zh", "等一下啊"), ("zh", "我是他妈 我喊他来接"), ("zh", "您稍等一下")],
)  # fmt: skip
def test_a_hand_over_or_a_wait(lang: str, text: str) -> None:
    assert hands_over(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "I'll get him to call you back"), ("en", "he's not here, hold on"),
     ("en", "hold on, who is this?"), ("en", "yeah this is John, hold on what is this about"),
     ("en", "let me get a pen"), ("en", "she's not home right now"),
     ("zh", "他不在家"), ("zh", "我叫他明天给你回电话"), ("zh", "我叫张伟"),
     ("zh", "等他来了再说吧"), ("zh", "等一下，你是谁啊"), ("zh", "他出差了 我叫他回来给你打")],
)  # fmt: skip
def test_not_a_hand_over(lang: str, text: str) -> None:
    assert not hands_over(text, lang)


Turn = str | None  # a line heard clearly, or a silence


@pytest.mark.parametrize(
    ("lang", "handing", "debtor"),
    [("en", ["I'm his wife. Hang on, let me get him."], "yes, speaking"),
     ("en", ["Who's calling?", "hold on, I'll go get him"], "yeah this is John"),
     ("zh", ["我是他老婆 稍等 我喊他来接"], "对，是我"),
     ("zh", ["你找谁啊", "哦 你等会儿 我去叫他"], "我就是李明")],
)  # fmt: skip
def test_the_one_who_comes_to_the_phone_is_verified(
    lang: Lang, handing: list[str], debtor: str
) -> None:
    lines: list[Turn] = [*handing, None, debtor]
    state, says = call_lines(lang, VerificationMode.NAME, lines)
    keys = prompt_keys(says)
    assert "hold_wait" in keys
    assert "hold_still_here" in keys
    assert state.verified
    assert not state.ended
    before = keys[: keys.index(f"disclosure.{state.facts.jurisdiction}")]
    assert not any(DEBT_WORDS.search(s.text) for s in says[: len(before)])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("lang", "lines", "outcome"),
    [("en", ["hold on, here he is", "Hello?", "no, you got the wrong number"],
      Outcome.WRONG_NUMBER),
     ("en", ["one moment, let me get her", None, None, "sorry, she just left for work",
             "try tomorrow morning"], Outcome.THIRD_PARTY),
     ("zh", ["你等一下我叫他", "喂？", "打错了"], Outcome.WRONG_NUMBER),
     ("zh", ["稍等 我去叫她", None, None, None, None, None, None], Outcome.UNVERIFIED)],
)  # fmt: skip
def test_whoever_comes_is_not_taken_for_the_debtor(
    lang: Lang, lines: list[Turn], outcome: Outcome, mode: VerificationMode
) -> None:
    state, says = call_lines(lang, mode, lines)
    assert state.outcome is outcome
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in says), [s.text for s in says]


def test_after_two_silences_on_hold_the_question_starts_again() -> None:
    state, says = call_lines("en", VerificationMode.NAME, ["let me get him", None, None, None])
    assert prompt_keys(says)[-5:] == [
        "hold_wait", "hold_still_here", "hold_still_here", "hold_back", "ask_name"
    ]  # fmt: skip
    assert state.misses == 1
    assert not state.on_hold


def test_held_words_of_the_one_handing_over_are_dropped() -> None:
    state, _ = call_lines("zh", VerificationMode.NAME, ["他说礼拜五还两千 你等一下我叫他"])
    assert state.on_hold
    assert state.held is None


def test_hold_on_over_and_over_is_no_answer() -> None:
    state, says = call_lines("en", VerificationMode.NAME, ["hold on"] * (MAX_HANDOVERS + 4))
    assert prompt_keys(says).count("hold_wait") == MAX_HANDOVERS
    assert state.outcome is Outcome.UNVERIFIED


def test_a_hand_over_heard_unsurely_is_noise() -> None:
    facts = replace(demo_case("zh"), verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script("zh"), TODAY), CallAnswered(NOON))
    parse = default_parser().parse("等一会。", "zh", TODAY).heard_with(0.1)
    state, commands = decide(state, UtteranceHeard("等一会。", "zh", parse))
    assert not state.on_hold
    assert "hold_wait" not in prompt_keys([c for c in commands if isinstance(c, Say)])


def test_a_wait_at_the_second_factor_does_not_ask_the_name_again() -> None:
    state, says = call_lines(
        "en", VerificationMode.NAME_AND_BIRTH_YEAR, ["yes, speaking", "hold on"]
    )
    assert state.stage is Stage.VERIFY_SECOND
    assert "hold_wait" not in prompt_keys(says)
