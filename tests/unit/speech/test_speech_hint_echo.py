"""The stage hint copied into the transcript ("echo"): caught by its signs, never a real answer.

Whisper base, given the question's hint, sometimes prints hint text instead of what was said;
the prompt check (``asr.prompt_check.hint_echo``) then returns the neutral hearing it already
made. Cases here are written for these tests (not the bench lines that showed the echo).
"""

from __future__ import annotations

import asyncio

import pytest

from asr.base import RecognitionOptions, RecognitionStream, Transcript
from asr.hints import hint_for
from asr.prompt_check import NEUTRAL_PROMPTS, PromptCheckedRecognizer, checked, hint_echo
from asr.settings import AsrSettings

VERIFY = hint_for("verify", "zh").prompt or ""
PROMISE = hint_for("promise", "zh").prompt or ""
CONFIRM = hint_for("confirm", "zh").prompt or ""
DOMAIN = AsrSettings().prompt_zh


@pytest.mark.parametrize(
    ("heard", "prompt", "plain"),
    [
        # the question of the hint printed for an answer about something else
        ("请问您是本人吗？", VERIFY, "帮我转一下客服"),
        ("我再和您确认一下", CONFIRM, "我想想再说吧"),
        ("能还多少？这周五", PROMISE, "我现在在开车"),
        # the hint's words before what was said
        ("请问本人我在外面", VERIFY, "喂我在外面呢"),
        ("关于逾期贷款我没借", DOMAIN, "这个钱我没借过"),
        # ends on the prompt's list punctuation: two copied characters are enough
        ("下个月几号：", PROMISE, "下个月"),
        ("我还五百块钱；", PROMISE, "我还五百"),
        # a whole list of expected answers for a short unrelated line
        ("是本人，不认识，打错了", VERIFY, "你说啥"),
    ],
)
def test_hint_text_the_audio_does_not_carry_is_an_echo(heard: str, prompt: str, plain: str) -> None:
    assert hint_echo(heard, prompt, plain)


@pytest.mark.parametrize(
    ("heard", "prompt", "plain"),
    [
        # the hint's own answers, heard alike without it (exact or near homophones)
        ("不认识。", VERIFY, "不认识"),
        ("是本人。", VERIFY, "是笨人"),
        ("你找谁？", VERIFY, "你早睡"),
        ("他不在家。", VERIFY, "他不再家"),
        ("这周五还两千。", PROMISE, "这州五环两千"),
        ("先还一部分，五百块。", PROMISE, "先环一部分五百块"),
        ("对，没问题。", CONFIRM, "对没问题"),
        # few hint characters in a long answer that says other things
        ("我是他老婆，他出去打工了，你有事跟我说", VERIFY, "我是他老婆他出去打工了有事跟我说"),
        # the prompt's punctuation, but every word heard alike without the hint
        ("这周五、", PROMISE, "这周五"),
        ("我明天还八百元：", PROMISE, "我明天还八百元"),
        ("能不能分三次还：", PROMISE, "能不能深深吃环"),
        # single hint characters spelling mis-heard sounds are no copy (先 for 行, 钱 for 欠)
        ("先先先，我知道钱钱了", PROMISE, "天天天我知道天天了"),
        # numerals the neutral hearing printed as digits
        ("二十五号还款三千五百元", PROMISE, "25号捆款3500元"),
        # no hint characters at all, or nothing heard
        ("喂喂喂听不清", VERIFY, "喂喂喂"),
        ("", VERIFY, "随便"),
        # no prompt: nothing to copy
        ("请问您是本人吗", "", "你好"),
    ],
)
def test_answers_the_audio_carries_are_no_echo(heard: str, prompt: str, plain: str) -> None:
    assert not hint_echo(heard, prompt, plain)


def test_an_echo_that_agrees_by_sound_is_still_replaced_by_the_neutral_hearing() -> None:
    settings = AsrSettings()
    heard = Transcript("本人请问我要转人工", "zh", True, 900, confidence=0.8)
    plain = Transcript("嗯嗯我要转人工", "zh", True, 900, confidence=0.6)
    got = checked(heard, plain, 0.3, settings, VERIFY)
    assert got.text == "嗯嗯我要转人工"
    assert got.confidence == 0.6  # the lower of the two: an echo never raises it
    kept = checked(heard, plain, 0.3, settings)  # no prompt known: the agreement check alone
    assert kept.text == "本人请问我要转人工"


class _Echoing:
    """Hears ``prompted`` under any collection prompt and ``neutral`` under the neutral one."""

    languages = frozenset({"zh"})

    def __init__(self, prompted: str, neutral: str) -> None:
        self.prompted, self.neutral = prompted, neutral

    async def transcribe(self, pcm: bytes, rate: int, options: RecognitionOptions) -> Transcript:
        text = self.neutral if options.prompt == NEUTRAL_PROMPTS["zh"] else self.prompted
        return Transcript(text, options.language, True, 500, confidence=0.7)

    def start_stream(self, rate: int, options: RecognitionOptions) -> RecognitionStream:
        raise NotImplementedError

    async def warm_up(self) -> None:
        return None


@pytest.mark.parametrize(
    ("options", "prompted", "neutral", "expected"),
    [
        # the stage hint's question copied ahead of the real words
        (hint_for("promise", "zh").options(), "请问您哪天能还我找人工", "我找人工", "我找人工"),
        # the domain prompt (no stage hint) copied the same way
        (RecognitionOptions.of("zh"), "关于逾期贷款的还款电话：", "我在忙", "我在忙"),
        # a real answer steered by the hint is kept
        (hint_for("verify", "zh").options(), "不是，打错了。", "不是大错了", "不是，打错了。"),
    ],
)
def test_the_live_check_knows_its_prompt(
    options: RecognitionOptions, prompted: str, neutral: str, expected: str
) -> None:
    recogniser = PromptCheckedRecognizer(_Echoing(prompted, neutral))
    assert asyncio.run(recogniser.transcribe(b"\0\0" * 800, 8000, options)).text == expected


NAMED = hint_for("verify", "zh", name="陈国栋").prompt or ""


def test_the_named_hint_asks_for_the_name_and_answers_nothing_with_it() -> None:
    assert "请问您是陈国栋本人吗？" in NAMED
    assert NAMED.count("陈国栋") == 1  # only in the question: no "yes, I am ..." to copy
    assert NAMED.endswith(VERIFY.split("？", 1)[1])  # the nameless answers as before
    assert hint_for("promise", "zh", name="陈国栋").prompt == PROMISE
    # English keeps the domain prompt alone: the named question made line noise a sentence
    assert hint_for("verify", "en", name="Maria Lopez").prompt is None


@pytest.mark.parametrize(
    ("heard", "plain", "echo"),
    [
        # a stranger's question heard as the name the hint carries: the neutral hearing wins
        ("我是陈国栋。", "你找谁", True),
        ("陈国栋本人。", "你是哪位", True),
        # the name said, heard alike (or as a homophone) without the hint: kept
        ("对，我是陈国栋。", "对我是陈国东", False),
        ("陈国栋就是我。", "陈国栋就是我", False),
    ],
)
def test_the_name_in_the_hint_is_never_put_in_a_strangers_mouth(
    heard: str, plain: str, echo: bool
) -> None:
    assert hint_echo(heard, NAMED, plain) is echo


@pytest.mark.parametrize("neutral", ["以下是普通话的句子。", "以下是普通的句子", "以下是普通话"])
def test_when_both_hearings_copy_their_prompts_nothing_was_heard(neutral: str) -> None:
    heard = Transcript("不认识，打错了。", "zh", True, 700, confidence=0.7)
    plain = Transcript(neutral, "zh", True, 700, confidence=0.6)
    got = checked(heard, plain, 0.3, AsrSettings(), VERIFY)
    assert got.is_empty
    assert got.confidence == 0.0


def test_a_neutral_hearing_that_merely_shares_a_word_with_its_prompt_is_kept() -> None:
    heard = Transcript("请问您是本人吗？", "zh", True, 700, confidence=0.7)
    plain = Transcript("我说的是普通话", "zh", True, 700, confidence=0.6)
    assert checked(heard, plain, 0.3, AsrSettings(), VERIFY).text == "我说的是普通话"


async def test_the_live_recognizer_lends_a_lost_day_at_the_promise_question_only() -> None:
    """``asr.day_opinion``: the neutral hearing's day in place of the one the hint lost."""
    fake = _Echoing("请天晚上我还三百元。", "今天晚上我环300人。")
    promise = hint_for("promise", "zh").options()
    heard = await PromptCheckedRecognizer(fake).transcribe(b"\0\0" * 800, 8000, promise)
    assert heard.text == "今天晚上我还三百元。"
    verify = hint_for("verify", "zh").options()
    heard = await PromptCheckedRecognizer(fake).transcribe(b"\0\0" * 800, 8000, verify)
    assert heard.text == "请天晚上我还三百元。"
