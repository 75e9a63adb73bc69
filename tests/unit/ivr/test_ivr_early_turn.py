"""MeaningEndpointer: whole answers end the turn early, a debtor who pauses is not cut off."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from asr.base import RecognitionOptions, Transcript
from asr.errors import RecognitionError
from asr.fake import FakeRecognizer
from asr.settings import AsrSettings
from asr.vad import Endpointer, SpeechEnded, SpeechStarted
from core.dialogue import Lang, Parse
from ivr.early_turn import Expectation, MeaningEndpointer
from nlu.parser import default_parser
from nlu.turn_end import QuestionKind, TurnEndPolicy
from tts.fake import FakeSynthesizer

RATE = 8000
FRAME = RATE * 2 * 20 // 1000  # 20 ms of 16-bit mono
TODAY = date(2026, 11, 30)


def _silence(ms: int) -> bytes:
    return bytes(RATE * 2 * ms // 1000)


async def _speech(text: str) -> bytes:
    return await FakeSynthesizer().synthesize(text, "en", RATE)


def _understand(text: str, lang: Lang) -> Parse:
    return default_parser().parse(text, lang, TODAY)


class _Recognizer(FakeRecognizer):
    """Scripted lines; counts decodes, may fail."""

    def __init__(self, lines: list[str], *, fail: bool = False) -> None:
        super().__init__(lines)
        self.fail = fail

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        if self.fail:
            raise RecognitionError("engine down")
        return await super().transcribe(pcm, sample_rate, options)


def _endpointer(
    recognizer: FakeRecognizer, tg: asyncio.TaskGroup, prompt_key: str
) -> MeaningEndpointer:
    return MeaningEndpointer(
        recognizer,
        RATE,
        tg,
        understand=_understand,
        expecting=lambda: Expectation.after(prompt_key, "en"),
        policy=TurnEndPolicy(complete_ms=200, default_ms=600, incomplete_ms=1000),
        settings=AsrSettings(),
    )


async def _run(
    audio: bytes, recognizer: FakeRecognizer, prompt_key: str
) -> tuple[list[tuple[int, str]], MeaningEndpointer, int]:
    """Feed ``audio`` in 20 ms frames; returns (ms fed when the turn ended, transcript)."""
    turns: list[tuple[int, str]] = []
    started = 0
    async with asyncio.TaskGroup() as tg:
        ep = _endpointer(recognizer, tg, prompt_key)
        for i in range(0, len(audio), FRAME):
            for event in ep.feed(audio[i : i + FRAME]):
                if isinstance(event, SpeechStarted):
                    started += 1
                if isinstance(event, SpeechEnded):
                    fed_ms = (i + FRAME) * 1000 // (RATE * 2)
                    turns.append((fed_ms - event.offset_ms, (await ep.transcribe(event)).text))
            await asyncio.sleep(0)  # the early decode runs between frames, as on a live call
    return turns, ep, started


async def test_a_yes_to_a_yes_no_question_ends_after_a_short_silence() -> None:
    recognizer = _Recognizer(["Yes."])
    audio = _silence(300) + await _speech("Yes, speaking.") + _silence(1500)
    turns, ep, _ = await _run(audio, recognizer, "ask_name#0")
    assert [text for _, text in turns] == ["Yes."]
    silence_waited = turns[0][0]
    assert 200 <= silence_waited < 300  # not the fixed 600 ms
    assert ep.stats.early_ends == 1
    assert len(recognizer.heard) == 1  # decoded once, at the pause, reused at the end


async def test_a_debtor_who_pauses_mid_sentence_is_not_cut_off() -> None:
    """ "I can pay… three hundred on Friday": an 800 ms pause after "I can pay"."""
    first = await _speech("I can pay")
    second = await _speech("three hundred on Friday.")
    audio = _silence(300) + first + _silence(800) + second + _silence(1500)
    lines = ["I can pay", "I can pay three hundred on Friday."]
    turns, ep, _ = await _run(audio, _Recognizer(lines), "state_debt#0")
    assert [text for _, text in turns] == ["I can pay three hundred on Friday."]
    assert ep.stats.long_waits == 1
    assert ep.stats.early_ends == 1  # the whole promise then ended at once
    assert turns[0][0] < 600


async def test_the_fixed_silence_endpointer_would_have_cut_that_debtor_off() -> None:
    """The same audio through today's 600 ms endpointer: two turns, the first one cut."""
    first = await _speech("I can pay")
    second = await _speech("three hundred on Friday.")
    audio = _silence(300) + first + _silence(800) + second + _silence(1500)
    endpointer = Endpointer(RATE, settings=AsrSettings(vad_end_silence_ms=600))
    ends = [e for i in range(0, len(audio), FRAME) for e in endpointer.feed(audio[i : i + FRAME])]
    assert sum(isinstance(e, SpeechEnded) for e in ends) == 2


@pytest.mark.parametrize(
    ("said", "prompt_key", "waited_ms"),
    [
        ("Who is calling please?", "ask_name#0", 600),  # words that answer nothing
        ("Yes.", "recording_notice#0", 600),  # an open question never ends early
        ("I can pay, um", "state_debt#0", 1000),  # unfinished, and nothing follows
    ],
)
async def test_other_turns_end_after_the_silence_their_words_call_for(
    said: str, prompt_key: str, waited_ms: int
) -> None:
    audio = _silence(300) + await _speech(said) + _silence(2000)
    turns, ep, _ = await _run(audio, _Recognizer([said]), prompt_key)
    assert [text for _, text in turns] == [said]
    assert waited_ms <= turns[0][0] < waited_ms + 100
    assert ep.stats.early_ends == 0
    assert ep.stats.long_waits == (waited_ms > 600)


async def test_speech_after_an_early_end_is_a_new_turn() -> None:
    audio = (
        _silence(300)
        + await _speech("Yes.")
        + _silence(400)
        + await _speech("but I can't pay today.")
        + _silence(1500)
    )
    lines = ["Yes.", "but I can't pay today."]
    turns, _, started = await _run(audio, _Recognizer(lines), "ask_name#0")
    assert [text for _, text in turns] == lines
    assert started == 2


async def test_an_engine_error_surfaces_at_the_turn_end_not_in_the_task_group() -> None:
    audio = _silence(300) + await _speech("Yes.") + _silence(1500)
    recognizer = _Recognizer([], fail=True)
    async with asyncio.TaskGroup() as tg:
        ep = _endpointer(recognizer, tg, "ask_name#0")
        errors = 0
        for i in range(0, len(audio), FRAME):
            for event in ep.feed(audio[i : i + FRAME]):
                if isinstance(event, SpeechEnded):
                    try:
                        await ep.transcribe(event)
                    except RecognitionError:
                        errors += 1
            await asyncio.sleep(0)
    assert errors == 1


async def test_reset_drops_the_early_decode() -> None:
    audio = _silence(300) + await _speech("Yes.") + _silence(400)
    async with asyncio.TaskGroup() as tg:
        ep = _endpointer(_Recognizer(["Yes."]), tg, "ask_name#0")
        for i in range(0, len(audio), FRAME):
            ep.feed(audio[i : i + FRAME])
        ep.reset()
        assert not ep.in_speech
        assert ep.stats.dropped == 1
        assert ep.flush() is None


def test_the_expectation_follows_the_last_prompt() -> None:
    assert Expectation.after("ask_birth_year#0", "zh").kind is QuestionKind.YEAR
    assert Expectation.after(None, "en").kind is QuestionKind.OPEN
    assert Expectation.after("confirm_promise#0", "en").options.language == "en"
