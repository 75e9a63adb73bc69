"""Recognition hints per stage and the prompt check: a prompt may steer, never answer."""

from __future__ import annotations

import pytest

from asr.base import RecognitionOptions, RecognitionStream, Transcript
from asr.hints import STAGES, hint_for, stage_of
from asr.prompt_check import (
    NEUTRAL_PROMPTS,
    PromptCheckedRecognizer,
    agreement,
    syllable_cost,
    syllables,
)
from asr.settings import AsrSettings


@pytest.mark.parametrize(
    ("key", "stage"),
    [
        ("ask_birth_year#0", "second_factor"),
        ("reprompt.ask_birth_year#1", "second_factor"),
        ("verify_retry#0", "verify"),
        ("ask_id_last4#0", "id_last4"),
        ("greeting#1", "verify"),
        ("reprompt.ask_name#0", "verify"),
        ("ask_promise_date#2", "promise"),
        ("offer_partial#0", "promise"),
        ("confirm_promise#0", "confirm"),
        ("payment_methods#0", "open"),
        ("no_such_prompt", "open"),
        (None, "open"),
        ("", "open"),
    ],
)
def test_the_stage_follows_the_question_being_answered(key: str | None, stage: str) -> None:
    assert stage_of(key) == stage


def test_mandarin_stage_hints_carry_the_expected_answers_after_the_domain_prompt() -> None:
    settings = AsrSettings()
    verify = hint_for("verify", "zh", settings)
    promise = hint_for("promise", "zh", settings)
    assert verify.prompt is not None
    assert promise.prompt is not None
    assert verify.prompt.startswith(settings.prompt_zh)
    assert all(word in verify.prompt for word in ("不是", "打错了", "你找谁"))
    assert all(word in promise.prompt for word in ("周五", "下周", "月底"))
    assert verify.options() == RecognitionOptions.of("zh", verify.prompt, stage="verify")


def test_stages_without_a_hint_and_disabled_hints_use_the_default_prompt() -> None:
    assert hint_for("open", "zh").prompt is None
    assert all(hint_for(stage, "en").prompt is None for stage in STAGES if stage != "second_factor")
    off = AsrSettings(stage_hints=False)
    assert all(hint_for(stage, "zh", off).prompt is None for stage in STAGES)


def test_syllables_read_traditional_and_simplified_alike() -> None:
    assert syllables("下週一還1500") == syllables("下周一还") == ["xia", "zhou", "yi", "huan"]
    assert syllables("我已经還了") == syllables("我已经缓了")


@pytest.mark.parametrize(
    ("a", "b", "cost"),
    [
        ("huan", "huan", 0.0),
        ("si", "shi", 0.25),
        ("huan", "huang", 0.25),
        ("qian", "xian", 0.6),
        ("hou", "pu", 1.0),
        ("zhou", "zhong", 0.6),
        ("bu", "ren", 1.0),
    ],
)
def test_near_homophones_cost_less_than_other_syllables(a: str, b: str, cost: float) -> None:
    assert syllable_cost(a, b) == cost == syllable_cost(b, a)


@pytest.mark.parametrize(
    ("prompted", "plain", "low", "high"),
    [
        ("我周五还三千。", "我州五環三千", 1.0, 1.0),
        ("我下个月十五号还两千块。", "我下個月15號還兩千塊", 0.6, 0.9),
        ("请问您是本人吗？", "请留点赞订阅最后一位", -1.0, 0.2),
        ("不认识,这本人是谁？他？", "不顧忽心的某些心想要求多", -1.0, 0.3),
        ("", "anything", 1.0, 1.0),
        # the unprompted decode of a real answer, near homophones (tian, huan~huang, si~shi)
        ("后天还四千。", "普天皇室先生。", 0.3, 0.6),
        # echoes measured on speech that answers nothing (bench/zh_decoding_bench.py)
        ("不认识。", "普通话的毛衣词也不太好。", -5.0, 0.0),
        ("抬的抬牌牌也认识一下,下周五、月底、元", "彩色彩色彩色彩色彩色彩色彩", -1.0, 0.2),
    ],
)
def test_agreement_is_high_for_the_same_sounds_and_low_for_an_echo(
    prompted: str, plain: str, low: float, high: float
) -> None:
    assert low <= agreement(prompted, plain) <= high


class _PromptSensitive:
    """Hears ``prompted`` under any collection prompt and ``neutral`` under the neutral one."""

    languages = frozenset({"en", "zh"})

    def __init__(self, prompted: str, neutral: str) -> None:
        self.prompted, self.neutral = prompted, neutral
        self.prompts: list[str | None] = []

    async def transcribe(self, pcm: bytes, rate: int, options: RecognitionOptions) -> Transcript:
        self.prompts.append(options.prompt)
        text = self.neutral if options.prompt == NEUTRAL_PROMPTS["zh"] else self.prompted
        return Transcript(text, options.language, True, len(pcm) * 500 // rate)

    def start_stream(self, rate: int, options: RecognitionOptions) -> RecognitionStream:
        raise NotImplementedError

    async def warm_up(self) -> None:
        return None


def _fake(prompted: str, neutral: str) -> _PromptSensitive:
    return _PromptSensitive(prompted, neutral)


async def test_an_echo_of_the_prompt_is_replaced_by_what_was_heard_without_it() -> None:
    checked = PromptCheckedRecognizer(_fake("不认识，本人不认识。", "Today the weather is sunny"))
    heard = await checked.transcribe(b"\0\0" * 8000, 8000, hint_for("verify", "zh").options())
    assert heard.text == "Today the weather is sunny"


async def test_an_answer_the_audio_supports_keeps_the_prompted_transcript() -> None:
    checked = PromptCheckedRecognizer(_fake("我周五还三千。", "我州五環三千"))
    heard = await checked.transcribe(b"\0\0" * 8000, 8000, hint_for("promise", "zh").options())
    assert heard.text == "我周五还三千。"


async def test_the_domain_prompt_is_checked_too() -> None:
    fake = _fake("打错了，打错了", "Turn left at the corner")
    heard = await PromptCheckedRecognizer(fake).transcribe(
        b"\0\0" * 800, 8000, RecognitionOptions.of("zh")
    )
    assert heard.text == "Turn left at the corner"
    assert fake.prompts == [None, NEUTRAL_PROMPTS["zh"]]


async def test_empty_english_and_unprompted_decodes_are_not_decoded_twice() -> None:
    for prompted, options in (
        ("", RecognitionOptions.of("zh")),
        ("I can pay on Friday.", RecognitionOptions.of("en")),
        ("我周五还", RecognitionOptions.of("zh", "")),
    ):
        fake = _fake(prompted, "never asked")
        heard = await PromptCheckedRecognizer(fake).transcribe(b"\0\0" * 800, 8000, options)
        assert heard.text == prompted
        assert len(fake.prompts) == 1
