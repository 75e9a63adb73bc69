"""The second opinion: a second decode of the same audio where a wrong hearing costs most.

Two decodes that agree raise the confidence, two that disagree never do, noise stays no words,
the gate follows the question being answered, and the spoken benchmark combines the two hearings
exactly as the live recogniser does.
"""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asr.agreement import combine, hearing_agreement
from asr.base import RecognitionOptions, RecognitionStream, Transcript
from asr.hints import hint_for, stage_of
from asr.prompt_check import NEUTRAL_PROMPTS, PromptCheckedRecognizer, checked
from asr.second_opinion import (
    SecondOpinionRecognizer,
    carries_number,
    gated_by_hearing,
    gated_by_stage,
)
from asr.settings import AsrSettings
from simulation.spoken.corpus import Utterance
from simulation.spoken.evaluate import heard_live
from simulation.spoken.render import Rendering
from simulation.spoken.voices import Voice

SETTINGS = AsrSettings()
PCM = bytes(3200)


def said(text: str, confidence: float | None, language: str = "en") -> Transcript:
    return Transcript(text, language, True, 1000, tuple(text.split()), confidence)


class Scripted:
    """A recognizer that hears one fixed transcript, counting its decodes and their options."""

    def __init__(self, heard: Transcript, busy: list[int] | None = None) -> None:
        self.heard = heard
        self.calls: list[RecognitionOptions] = []
        self.busy = busy if busy is not None else [0, 0]  # [decoding now, most at once]

    @property
    def languages(self) -> frozenset[str]:
        return frozenset({"en", "zh"})

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        self.calls.append(options)
        self.busy[0] += 1
        self.busy[1] = max(self.busy[1], self.busy[0])
        await asyncio.sleep(0.01)
        self.busy[0] -= 1
        return self.heard

    def start_stream(self, sample_rate: int, options: RecognitionOptions) -> RecognitionStream:
        raise NotImplementedError

    async def warm_up(self) -> None:
        return None


confidences = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(a=confidences, b=confidences)
def test_a_disagreeing_second_hearing_never_raises_the_confidence(a: float, b: float) -> None:
    first = said("Yes and B.", a)
    heard = combine(first, said("Who is this?", b), SETTINGS.second_agree)
    assert heard.confidence is not None
    assert heard.confidence <= min(a, b) + 1e-4
    assert heard.signals is not None
    assert heard.signals.agreement is not None
    assert heard.signals.agreement < SETTINGS.second_agree


@given(a=confidences, b=confidences)
def test_two_hearings_of_the_same_words_are_two_witnesses(a: float, b: float) -> None:
    heard = combine(said("Yeah, that's me.", a), said("yeah that's me", b), SETTINGS.second_agree)
    assert heard.text == "Yeah, that's me."  # the first's text, its punctuation kept
    assert heard.confidence == pytest.approx(1 - (1 - a) * (1 - b), abs=1e-4)
    assert heard.confidence is not None
    assert heard.confidence >= max(a, b) - 1e-4


def test_disagreement_keeps_the_surer_text_at_the_lower_confidence() -> None:
    heard = combine(said("Yes and B.", 0.49), said("Yes, indeed.", 0.73), SETTINGS.second_agree)
    assert (heard.text, heard.confidence) == ("Yes, indeed.", 0.49)
    kept = combine(said("Who?", 0.7), said("Yes.", 0.9), SETTINGS.second_agree, prefer_first=True)
    assert (kept.text, kept.confidence) == ("Who?", 0.7)


def test_a_hum_both_models_hear_as_yeah_is_not_raised() -> None:
    # measured: Piper's "Hmm." heard "Yeah." by tiny.en at 0.25 and by base at 0.39
    heard = combine(said("Yeah.", 0.2532), said("Yeah.", 0.385), 0.8, raise_from=0.35)
    assert heard.confidence == 0.2532
    sure = combine(said("Yeah.", 0.5), said("Yeah.", 0.5), 0.8, raise_from=0.35)
    assert sure.confidence == 0.75


def test_a_sure_second_hearing_of_the_same_words_stands_for_an_unsure_first() -> None:
    # measured (asr6): Piper's "Yes, why?" heard alike by tiny.en at 0.0 and by base at 0.85
    alone = SETTINGS.second_alone_from
    assert alone is not None
    heard = combine(said("Yes, why?", 0.0), said("Yes, why?", 0.8503), 0.8, raise_from=0.35,
                    alone_from=alone)  # fmt: skip
    assert (heard.text, heard.confidence) == ("Yes, why?", 0.8503)
    hum = combine(said("Yeah.", 0.2532), said("Yeah.", 0.385), 0.8, raise_from=0.35,
                  alone_from=alone)  # fmt: skip
    assert hum.confidence == 0.2532  # the hum: base unsure too
    other = combine(said("Two.", 0.17), said("Yeah.", 0.95), 0.8, raise_from=0.35,
                    alone_from=alone, prefer_first=True)  # fmt: skip
    assert (other.text, other.confidence) == ("Two.", 0.17)  # other words: never


@given(a=st.floats(min_value=0.0, max_value=0.3499), b=confidences)
def test_the_second_alone_never_gives_words_or_more_than_its_own_confidence(
    a: float, b: float
) -> None:
    heard = combine(said("Who is it?", a), said("Yes, that's me.", b), 0.8, raise_from=0.35,
                    alone_from=0.6)  # fmt: skip
    assert heard.confidence is not None
    assert heard.confidence <= min(a, b) + 1e-4
    same = combine(said("Yes.", a), said("yes", b), 0.8, raise_from=0.35, alone_from=0.6)
    assert same.text == "Yes."
    assert same.confidence == pytest.approx(b if b >= 0.6 else a, abs=1e-4)


async def test_at_verification_the_second_decoders_words_never_replace_the_first() -> None:
    surer = SETTINGS.model_copy(update={"second_text": "surer"})
    assert SETTINGS.second_text == "surer"
    # measured: Piper's "Who?" heard "Two." by tiny.en, "Yeah." by base
    live = SecondOpinionRecognizer(
        Scripted(said("Two.", 0.17)), Scripted(said("Yeah.", 0.23)), surer
    )
    heard = await live.transcribe(PCM, 8000, hint_for("verify", "en").options())
    assert (heard.text, heard.confidence) == ("Two.", 0.17)
    later = await live.transcribe(PCM, 8000, RecognitionOptions.of("en", stage="open"))
    assert (later.text, later.confidence) == ("Yeah.", 0.17)  # elsewhere: the surer words


def test_noise_stays_no_words_whatever_the_second_decode_makes_of_it() -> None:
    heard = combine(said("", 0.0), said("Yes, that's me.", 0.95), SETTINGS.second_agree)
    assert heard.is_empty
    # and an empty second hearing is no agreement: the confidence can only fall
    alone = combine(said("Yes.", 0.7), said("", None), SETTINGS.second_agree)
    assert (alone.text, alone.confidence) == ("Yes.", 0.0)


@pytest.mark.parametrize(
    ("a", "b", "least", "most"),
    [
        ("Yes, it is. Who's asking?", "Yes it is, who's asking", 1.0, 1.0),
        ("Yes and B.", "Yes, indeed.", 0.0, 0.4),
        ("I can pay 200 on Friday.", "I can pay 300 on Friday.", 0.8, 0.85),
        ("对，是我。", "对是我", 1.0, 1.0),
        ("周五还三千", "州五环三千", 0.95, 1.0),  # homophones agree
        ("不认识，本人不认识", "你好", 0.0, 0.2),  # an echo of a prompt does not
    ],
)
def test_agreement_of_two_hearings(a: str, b: str, least: float, most: float) -> None:
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in a) else "en"
    assert least <= hearing_agreement(a, b, lang) <= most


@pytest.mark.parametrize(
    ("prompt_key", "language", "gated"),
    [
        ("ask_name#0", "en", True),
        ("greeting#0", "en", True),
        ("reprompt.verify_retry#1", "en", True),
        ("confirm_promise#0", "en", False),
        ("ask_promise_date#0", "en", False),
        (None, "en", False),
        ("ask_name#0", "zh", False),  # Mandarin's second opinion is the prompt check's decode
    ],
)
def test_the_gate_fires_on_the_states_it_should(
    prompt_key: str | None, language: str, gated: bool
) -> None:
    # the options a live call's listener builds for the question last asked
    options = hint_for(stage_of(prompt_key), language).options()
    assert gated_by_stage(options, SETTINGS) is gated


@pytest.mark.parametrize(
    ("text", "confidence", "gated"),
    [
        ("I can pay two hundred.", 0.95, True),  # a number
        ("Next Friday works.", 0.95, True),  # a day
        ("I can pay 200.", 0.95, True),
        ("I already told you that.", 0.95, False),  # sure, no number: one decode
        ("I already told you that.", 0.5, True),  # unsure
        ("", 0.0, False),  # nothing heard: nothing to check
    ],
)
def test_after_the_first_decode_the_gate_wants_unsure_or_number_bearing_turns(
    text: str, confidence: float, gated: bool
) -> None:
    options = RecognitionOptions.of("en", stage="promise")
    assert gated_by_hearing(said(text, confidence), options, SETTINGS) is gated


def test_number_words_are_seen_in_both_languages() -> None:
    assert carries_number("fifteenth of January", "en")
    assert carries_number("下礼拜三还两千", "zh")
    assert not carries_number("who is this", "en")
    assert not carries_number("你找谁", "zh")


async def test_at_verification_both_decodes_run_together_and_agreement_raises() -> None:
    busy = [0, 0]
    first = Scripted(said("Yes, speaking.", 0.55), busy)
    second = Scripted(said("Yes speaking", 0.7), busy)
    recognizer = SecondOpinionRecognizer(first, second, SETTINGS)
    heard = await recognizer.transcribe(PCM, 8000, hint_for("verify", "en").options())
    assert busy[1] == 2  # the second decode started before the first ended
    assert heard.text == "Yes, speaking."
    assert heard.confidence == pytest.approx(1 - 0.45 * 0.3, abs=1e-4)
    assert second.calls[0].prompt is None  # the domain prompt, not a stage hint


async def test_a_sure_hearing_without_a_number_costs_one_decode() -> None:
    first = Scripted(said("I'd rather not say.", 0.9))
    second = Scripted(said("I'd rather not say.", 0.9))
    recognizer = SecondOpinionRecognizer(first, second, SETTINGS)
    heard = await recognizer.transcribe(PCM, 8000, RecognitionOptions.of("en", stage="open"))
    assert second.calls == []
    busy = [0, 0]
    unsure = SecondOpinionRecognizer(Scripted(said("uh", 0.3), busy), Scripted(said("", 0.0), busy))
    await unsure.transcribe(PCM, 8000, RecognitionOptions.of("en", stage="open"))
    assert busy[1] == 1  # gated by its hearing: after the first decode, not alongside
    assert heard.confidence == 0.9


async def test_line_noise_at_verification_stays_empty_with_a_second_decode() -> None:
    first = Scripted(said("", 0.0))
    second = Scripted(said("Yes.", 0.8))  # the second model "hears" the noise as a yes
    recognizer = SecondOpinionRecognizer(first, second, SETTINGS)
    heard = await recognizer.transcribe(PCM, 8000, hint_for("verify", "en").options())
    assert heard.is_empty


def test_the_prompt_check_falls_back_to_the_neutral_hearing_at_the_lower_confidence() -> None:
    echo = checked(said("不认识，本人不认识", 0.9, "zh"), said("你好", 0.6, "zh"), 0.3, SETTINGS)
    assert (echo.text, echo.confidence) == ("你好", 0.6)
    agree = checked(said("对，是我。", 0.4, "zh"), said("对是我", 0.5, "zh"), 0.3, SETTINGS)
    assert agree.text == "对，是我。"
    assert agree.confidence == pytest.approx(0.7)
    off = SETTINGS.model_copy(update={"second_neutral": False})
    before = checked(said("对，是我。", 0.4, "zh"), said("对是我", 0.5, "zh"), 0.3, off)
    assert before.confidence == 0.4


@pytest.mark.parametrize(
    ("intent", "first", "second", "text", "confidence"),
    [
        ("affirm", ("Yes, speaking.", 0.55), ("Yes speaking.", 0.7), "Yes, speaking.", 0.865),
        ("ask_identity", ("Yes.", 0.55), ("Who?", 0.3), "Yes.", 0.3),
        ("promise_to_pay", ("I'll pay 200.", 0.9), ("I'll pay 300.", 0.95), "I'll pay 300.", 0.9),
        ("refuse", ("I won't pay.", 0.9), ("I won't play.", 0.3), "I won't pay.", 0.9),
    ],
)
def test_the_benchmark_hears_what_the_live_recogniser_returns(
    intent: str,
    first: tuple[str, float],
    second: tuple[str, float],
    text: str,
    confidence: float,
) -> None:
    voice = Voice("piper", "en", 1.0)
    u = Utterance("-", intent)  # type: ignore[arg-type]
    one = Rendering("-", voice, first[0], "k1", first[1])
    two = Rendering("-", voice, second[0], "k2", second[1])
    heard, _ = heard_live(one, two, u, SETTINGS)
    live = SecondOpinionRecognizer(Scripted(said(*first)), Scripted(said(*second)), SETTINGS)
    stage = "verify" if intent in ("affirm", "ask_identity") else "promise"
    got = asyncio.run(live.transcribe(PCM, 8000, RecognitionOptions.of("en", stage=stage)))
    assert (heard.text, heard.confidence) == (got.text, got.confidence)
    assert heard.text == text
    assert heard.confidence == pytest.approx(confidence)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I can pay $300 on Friday.", "I can pay three hundred dollars on Friday."),
        ("300 bucks", "three hundred dollars"),
        ("I was born in 1985.", "I was born in nineteen eighty-five."),
        ("a hundred and fifty", "150"),
    ],
)
def test_numbers_printed_as_digits_or_words_agree(a: str, b: str) -> None:
    assert hearing_agreement(a, b, "en") == 1.0
    assert hearing_agreement(a, "I can pay 200 on Monday.", "en") < SETTINGS.second_agree


class ByPrompt(Scripted):
    """A Mandarin recognizer that hears differently with the neutral prompt."""

    def __init__(self, prompted: Transcript, neutral: Transcript) -> None:
        super().__init__(prompted)
        self.neutral = neutral

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        heard = await super().transcribe(pcm, sample_rate, options)
        return self.neutral if options.prompt == NEUTRAL_PROMPTS["zh"] else heard


async def test_the_product_recogniser_combines_the_mandarin_neutral_decode() -> None:
    inner = ByPrompt(said("对，是我。", 0.4, "zh"), said("对是我", 0.45, "zh"))
    english_second = Scripted(said("unused", 0.9))
    live = SecondOpinionRecognizer(PromptCheckedRecognizer(inner), english_second, SETTINGS)
    heard = await live.transcribe(PCM, 8000, hint_for("verify", "zh").options())
    assert heard.text == "对，是我。"
    assert heard.confidence == pytest.approx(1 - 0.6 * 0.55, abs=1e-4)
    assert english_second.calls == []  # Mandarin's second opinion costs no third decode
    echo = ByPrompt(said("不认识，本人不认识", 0.9, "zh"), said("喂你好", 0.5, "zh"))
    live = SecondOpinionRecognizer(PromptCheckedRecognizer(echo), english_second, SETTINGS)
    heard = await live.transcribe(PCM, 8000, hint_for("verify", "zh").options())
    assert (heard.text, heard.confidence) == ("喂你好", 0.5)


def test_a_confirmation_is_never_gated_by_its_hearing() -> None:
    options = RecognitionOptions.of("en", stage="confirm")
    assert not gated_by_hearing(said("Yes, three hundred on Friday.", 0.3), options, SETTINGS)
