"""A day the hinted Mandarin hearing lost, lent by the neutral hearing of the same audio
(``asr.day_opinion``), and the cases where nothing is lent (through the live recognizer:
``test_speech_hint_echo.py``)."""

from __future__ import annotations

import pytest

from asr.base import Transcript
from asr.day_opinion import with_neutral_day


def _t(text: str, lang: str = "zh") -> Transcript:
    return Transcript(text, lang, True, 1000, confidence=0.7)


@pytest.mark.parametrize(
    ("kept", "plain", "expected"),
    [
        # the day's first syllable misheard under the hint; the amount kept as the hint heard it
        ("明先下午转八百块。", "明天下午转800个。", "明天下午转八百块。"),
        ("嗯，我礼拜会还两千。", "嗯我礼拜四还两千。", "嗯，我礼拜四还两千。"),
        ("我下,号还一千五。", "我下周一还一千五", "我下周一还一千五。"),
        ("那我还五百吧。", "那我周五还五百吧", "那我周五还五百吧。"),  # a day dropped
    ],
)
def test_a_day_only_the_neutral_hearing_heard_is_put_in_its_place(
    kept: str, plain: str, expected: str
) -> None:
    assert with_neutral_day(_t(kept), _t(plain), "promise").text == expected


@pytest.mark.parametrize(
    ("kept", "plain", "stage"),
    [
        ("是我。", "是我周五。", "verify"),  # a yes is the first decode's words
        ("对，没问题。", "对，明天没问题。", "confirm"),
        ("我下周五还两千。", "我这周五还两千。", "promise"),  # the kept hearing names its own day
        ("我还两千。", "我还两千。", "promise"),  # neither names a day
        ("我还两千。", "", "promise"),
        ("好的好的好的我知道了你们别再打了行不行", "明天", "open"),  # nothing lines up
    ],
)
def test_nothing_is_lent_where_it_must_not_be(kept: str, plain: str, stage: str) -> None:
    assert with_neutral_day(_t(kept), _t(plain), stage).text == kept


def test_english_is_left_alone() -> None:
    assert with_neutral_day(_t("I pay.", "en"), _t("I pay Friday.", "en"), "promise").text == (
        "I pay."
    )
