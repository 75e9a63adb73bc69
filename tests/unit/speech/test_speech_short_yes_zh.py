"""Mandarin short yeses through the prompt check (session 11, zh8).

Two decodes of one short answer often disagree only on how many times a word was said or on a
closing particle (对对 / 对对对 / 对对的): they say the same thing, so their confidences combine
(``asr.agreement.said_alike``). A hearing of a single character (对, 是) is never raised by the
agreement of the two decodes: a stranger's "嗯？" was heard "对。" by both (0.34 and 0.25), and
the same score from two decodes of one grunt is no second witness. Cases written for these
tests; the figures they stand for are in docs/nlu.md ("Session 11, zh8").
"""

from __future__ import annotations

from datetime import date

import pytest

from asr.agreement import said_alike
from asr.base import Transcript
from asr.hints import hint_for
from asr.prompt_check import checked
from asr.settings import AsrSettings
from nlu.parser import default_parser
from simulation.spoken.evaluate import policy_verifies

SETTINGS = AsrSettings()
VERIFY = hint_for("verify", "zh").prompt or ""
TODAY = date(2026, 12, 7)


def _heard(text: str, confidence: float) -> Transcript:
    return Transcript(text, "zh", True, 0, confidence=confidence)


def _checked(first: tuple[str, float], neutral: tuple[str, float]) -> Transcript:
    return checked(_heard(*first), _heard(*neutral), 0.3, SETTINGS, VERIFY)


def _verifies(heard: Transcript) -> bool:
    parse = default_parser().parse(heard.text, "zh", TODAY).heard_with(heard.confidence)
    return policy_verifies("zh", TODAY, heard.text, parse)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("对对。", "对对对"),
        ("对对", "对对的。"),
        ("是啊，是啊。", "是啊"),
        ("是的是的", "是的。"),
        ("对对对的。", "对"),
        ("是我是我", "是我。"),
        ("不是不是", "不是"),
        ("行行", "行啊"),
    ],
)
def test_the_same_answer_said_more_or_fewer_times_is_said_alike(first: str, second: str) -> None:
    assert said_alike(first, second)
    assert said_alike(second, first)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("对", "是"),
        ("是吗？", "是"),  # a question is not the answer
        ("对了", "对"),  # "by the way"
        ("对不对", "对"),  # a question again
        ("不是", "是"),
        ("是我吧", "是我"),  # a guess
        ("我是我", "我是"),
        ("的", "的"),  # nothing but particles: nothing said
        ("", "对"),
        ("Okay.", "Okay."),  # no Mandarin heard
    ],
)
def test_other_words_are_not_said_alike(first: str, second: str) -> None:
    assert not said_alike(first, second)


def test_two_decodes_that_differ_in_repetitions_combine_their_confidence() -> None:
    got = _checked(("对对。", 0.66), ("对对对", 0.5))
    assert got.text == "对对。"
    assert (got.confidence or 0.0) >= 0.8
    assert _verifies(got)


def test_a_closing_particle_of_one_decode_does_not_split_them() -> None:
    got = _checked(("对对。", 0.53), ("对对的。", 0.44))
    assert (got.confidence or 0.0) >= 0.7
    assert _verifies(got)


@pytest.mark.parametrize(("first", "neutral"), [(0.45, 0.4), (0.36, 0.25), (0.49, 0.55)])
def test_one_character_heard_alike_twice_is_not_raised(first: float, neutral: float) -> None:
    got = _checked(("对。", first), ("对。", neutral))
    assert got.confidence == first
    assert not _verifies(got)


def test_one_character_a_sure_neutral_decode_heard_keeps_that_decodes_confidence() -> None:
    got = _checked(("是。", 0.3), ("是。", 0.7))
    assert got.confidence == 0.7
    assert _verifies(got)


def test_two_characters_heard_alike_are_still_raised() -> None:
    got = _checked(("是的。", 0.46), ("是的。", 0.3))
    assert got.confidence == pytest.approx(1 - 0.54 * 0.7, abs=1e-4)
    assert _verifies(got)


@pytest.mark.parametrize(
    ("first", "neutral"),
    [
        (("对对对", 0.8), ("对对", 0.7)),  # a loop of one syllable stays a repetition
        (("对。", 0.42), ("对对。", 0.45)),  # one character: never raised
        (("是吗？", 0.45), ("是。", 0.45)),  # a question
        (("对了。", 0.45), ("对了爱。", 0.3)),  # other words
    ],
)
def test_these_hearings_do_not_verify(first: tuple[str, float], neutral: tuple[str, float]) -> None:
    assert not _verifies(_checked(first, neutral))
