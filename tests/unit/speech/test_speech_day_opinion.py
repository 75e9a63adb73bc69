"""A day the hinted Mandarin hearing lost, lent by the neutral hearing of the same audio
(``asr.day_opinion``), and the cases where nothing is lent."""

from __future__ import annotations

import pytest

from asr.base import RecognitionOptions, RecognitionStream, Transcript
from asr.day_opinion import with_neutral_day
from asr.hints import hint_for
from asr.prompt_check import NEUTRAL_PROMPTS, PromptCheckedRecognizer


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


class _TwoHearings:
    languages = frozenset({"zh"})

    def __init__(self, prompted: str, neutral: str) -> None:
        self.prompted, self.neutral = prompted, neutral

    async def transcribe(self, pcm: bytes, rate: int, options: RecognitionOptions) -> Transcript:
        text = self.neutral if options.prompt == NEUTRAL_PROMPTS["zh"] else self.prompted
        return Transcript(text, options.language, True, 1000, confidence=0.8)

    def start_stream(self, rate: int, options: RecognitionOptions) -> RecognitionStream:
        raise NotImplementedError

    async def warm_up(self) -> None:
        return None


async def test_the_live_recognizer_lends_the_day_at_the_promise_question_only() -> None:
    fake = _TwoHearings("请天晚上我还三百元。", "今天晚上我环300人。")
    promise = hint_for("promise", "zh").options()
    heard = await PromptCheckedRecognizer(fake).transcribe(b"\0\0" * 800, 8000, promise)
    assert heard.text == "今天晚上我还三百元。"
    verify = hint_for("verify", "zh").options()
    heard = await PromptCheckedRecognizer(fake).transcribe(b"\0\0" * 800, 8000, verify)
    assert heard.text == "请天晚上我还三百元。"
