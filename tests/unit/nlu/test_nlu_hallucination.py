"""The hallucination filter: what a recogniser invents is told apart from what a person says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlu.hallucination import Hearing, is_hallucination, judge, repeated_share


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("", "en", Hearing.EMPTY),
        ("   ", "zh", Hearing.EMPTY),
        ("...", "en", Hearing.PUNCTUATION),
        ("？！。", "zh", Hearing.PUNCTUATION),
        ("♪ ♪", "en", Hearing.PUNCTUATION),
        ("Thank you.", "en", Hearing.KNOWN_PHRASE),
        ("THANK YOU!", "en", Hearing.KNOWN_PHRASE),
        ("you", "en", Hearing.KNOWN_PHRASE),
        ("Thanks for watching!", "en", Hearing.KNOWN_PHRASE),
        ("Please like and subscribe to the channel.", "en", Hearing.KNOWN_PHRASE),
        ("Thank you.", "zh", Hearing.KNOWN_PHRASE),  # Whisper-zh invents English too
        ("字幕由Amara.org社区提供", "zh", Hearing.KNOWN_PHRASE),
        ("请不吝点赞 订阅 转发 打赏支持明镜与点点栏目", "zh", Hearing.KNOWN_PHRASE),
        ("明镜与点点栏目", "zh", Hearing.KNOWN_PHRASE),
        ("谢谢观看。", "zh", Hearing.KNOWN_PHRASE),
        ("轻轻轻的", "zh", Hearing.REPETITION),
        ("好好好好好", "zh", Hearing.REPETITION),
        ("I'm sorry, I'm sorry, I'm sorry.", "en", Hearing.REPETITION),
        ("the the the the", "en", Hearing.REPETITION),
        ("嗯", "zh", Hearing.NOISE),
        ("呃，啊。", "zh", Hearing.NOISE),
        ("Um... uh.", "en", Hearing.NOISE),
        ("Mm-hmm.", "en", Hearing.NOISE),
        ("I", "en", Hearing.NOISE),
        ("Yes.", "en", Hearing.SPEECH),
        ("no", "en", Hearing.SPEECH),
        ("是", "zh", Hearing.SPEECH),
        ("你找谁？", "zh", Hearing.SPEECH),
        ("对对对，是我本人", "zh", Hearing.SPEECH),
        ("Thank you, yes this is she.", "en", Hearing.SPEECH),
        ("I can pay two hundred on Friday", "en", Hearing.SPEECH),
    ],
)
def test_judge_sorts_transcripts(text: str, lang: str, kind: Hearing) -> None:
    assert judge(text, lang) is kind


def test_only_empty_punctuation_and_known_phrases_are_hallucinations() -> None:
    assert is_hallucination("Thanks for watching", "en")
    assert is_hallucination("", "zh")
    assert not is_hallucination("no no no", "en")  # a person may say it: not made up
    assert not is_hallucination("嗯", "zh")


@given(
    st.lists(st.sampled_from(["ha", "la", "轻", "yes", "对"]), min_size=1, max_size=3, unique=True),
    st.integers(3, 8),
)
def test_a_unit_looped_three_times_or_more_is_repetition(unit: list[str], times: int) -> None:
    assert repeated_share(unit * times) == 1.0
    assert repeated_share([*unit, "x", *unit]) == 0.0


@given(st.text(st.characters(categories=["P", "Z", "S"]), max_size=20))
def test_text_of_symbols_alone_is_never_speech(text: str) -> None:
    assert is_hallucination(text, "en")
    assert is_hallucination(text, "zh")
