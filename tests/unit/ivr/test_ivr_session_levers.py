"""The speed levers on the session's seams (issue 13): static prompt segments from the
process's prompt cache (a debtor's name still synthesised), the turn ended from meaning (a
debtor who pauses mid-sentence heard as one turn, a whole "yes" ending early) and the
``ivr.turn`` event of each debtor turn. Caller audio is real PCM (the fake voice), fed in
20 ms frames to the real detectors; their clock is the audio, so the silences are exact."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from ivr_session_fakes import MarkerDetector
from ivr_session_harness import SETTINGS, Call, a_call, until
from structlog.testing import capture_logs

from asr.fake import FakeRecognizer
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Outcome,
    Say,
    UtteranceHeard,
)
from ivr.calls import CallResult
from ivr.listener import EndOfTurn, TurnContext, TurnDetector, end_of_turn_for
from ivr.settings import IvrSettings, TurnEndMode
from ivr.speaker import Speaker
from telemetry.metrics import Metrics
from tts.cache import PromptCache
from tts.fake import FakeSynthesizer
from tts.prompt_speech import PromptSpeaker

RATE = 8000
FRAME = RATE * 2 * 20 // 1000
PATIENT = SETTINGS.model_copy(update={"no_input_s": 5.0})
BYE = Hangup(Outcome.PROMISE_TO_PAY)


def _silence(ms: int) -> bytes:
    return bytes(RATE * 2 * ms // 1000)


async def _voice(text: str) -> bytes:
    return await FakeSynthesizer().synthesize(text, "en", RATE)


async def _speak(call: Call, *pieces: bytes) -> None:
    """The caller's audio in 20 ms frames, a little slower than the detector reads them (its
    early decodes, background tasks, get their turn as on a real line)."""
    audio = b"".join(pieces)
    for start in range(0, len(audio), FRAME):
        call.leg.push(audio[start : start + FRAME])
        await asyncio.sleep(0.002)


def _asks(key: str, answer: Sequence[DialogueCommand]) -> object:
    def reply(e: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [Say("Can you pay today?", key, "en")]
        if isinstance(e, UtteranceHeard):
            return answer
        return []

    return reply


async def _answered(
    key: str, lines: list[str], said: Sequence[bytes], end_of_turn: EndOfTurn
) -> tuple[Call, CallResult]:
    recognizer = FakeRecognizer(lines)
    reply = _asks(key, [Say("Thank you.", "thanks", "en"), BYE])
    async with a_call(
        reply,  # type: ignore[arg-type]
        recognizer=recognizer, settings=PATIENT, end_of_turn=end_of_turn,
    ) as c:  # fmt: skip
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        await _speak(c, _silence(200), *said, _silence(1500))
        result = await asyncio.wait_for(run, 10)
    return c, result


# --- turn end from meaning ---------------------------------------------------------------------
async def test_a_debtor_who_pauses_mid_sentence_is_heard_as_one_turn_with_meaning() -> None:
    said = [await _voice("I can pay"), _silence(700), await _voice("three hundred on Friday")]
    lines = ["I can pay", "I can pay three hundred on Friday"]  # the early decode, the turn
    c, result = await _answered("state_debt", lines, said, end_of_turn_for("meaning"))
    debtor = [text for speaker, text in c.transcript() if speaker == "debtor"]
    assert debtor == ["I can pay three hundred on Friday"]
    assert [type(e) for e in c.heard] == [CallAnswered, UtteranceHeard]
    assert result.outcome is Outcome.PROMISE_TO_PAY


@pytest.mark.parametrize(
    ("first", "pause_ms"),
    [
        ("I can pay...", 950),  # just under the 1,000 ms an unfinished sentence gets
        ("I can pay, uh", 900),  # a filler
        ("Well, I think I could pay,", 850),  # a trailing comma after a hedge
    ],
)
async def test_a_longer_pause_after_unfinished_words_is_still_one_turn(
    first: str, pause_ms: int
) -> None:
    said = [await _voice(first), _silence(pause_ms), await _voice("three hundred on Friday")]
    whole = f"{first} three hundred on Friday"
    c, _ = await _answered("state_debt", [first, whole], said, end_of_turn_for("meaning"))
    assert [text for speaker, text in c.transcript() if speaker == "debtor"] == [whole]
    assert [type(e) for e in c.heard] == [CallAnswered, UtteranceHeard]


async def test_unfinished_words_followed_by_silence_still_end_the_turn() -> None:
    """The long wait is bounded: "I can pay..." and then nothing is heard after ~1 s."""
    c, result = await _answered(
        "state_debt", ["I can pay..."], [await _voice("I can pay...")], end_of_turn_for("meaning")
    )
    assert [text for speaker, text in c.transcript() if speaker == "debtor"] == ["I can pay..."]
    assert result.outcome is Outcome.PROMISE_TO_PAY


@pytest.mark.parametrize("mode", ["meaning", "silence"])
async def test_a_line_that_sends_nothing_while_the_debtor_is_quiet_still_ends_the_turn(
    mode: TurnEndMode,
) -> None:
    """No frames at all after the words (a two-party bridge, a line with silence
    suppression): the quiet time counts as silence, so the turn ends and is answered."""
    recognizer = FakeRecognizer(["Yes, that's me"])
    reply = _asks("verify_identity", [Say("Thank you.", "thanks", "en"), BYE])
    async with a_call(
        reply,  # type: ignore[arg-type]
        recognizer=recognizer, settings=PATIENT, end_of_turn=end_of_turn_for(mode),
    ) as c:  # fmt: skip
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        await _speak(c, _silence(200), await _voice("Yes, that's me"))  # then nothing
        result = await asyncio.wait_for(run, 5)
    assert [text for speaker, text in c.transcript() if speaker == "debtor"] == ["Yes, that's me"]
    assert result.outcome is Outcome.PROMISE_TO_PAY


async def test_the_same_pause_cuts_the_debtor_off_when_only_silence_decides() -> None:
    said = [await _voice("I can pay"), _silence(700), await _voice("three hundred on Friday")]
    c, _ = await _answered(
        "state_debt", ["I can pay", "three hundred on Friday"], said, end_of_turn_for("silence")
    )
    debtor = [text for speaker, text in c.transcript() if speaker == "debtor"]
    assert debtor[0] == "I can pay"  # the silence endpointer ended the turn at the pause


async def test_a_whole_yes_to_a_yes_no_question_ends_the_turn_early() -> None:
    said = [await _voice("yes")]
    _, meaning = await _answered("confirm_promise", ["yes"], said, end_of_turn_for("meaning"))
    _, silence = await _answered("confirm_promise", ["yes"], said, end_of_turn_for("silence"))
    [early], [late] = meaning.timings, silence.timings
    assert early.end_silence_ms is not None
    assert late.end_silence_ms is not None
    assert early.end_silence_ms <= 300  # 200 ms of silence after a whole answer
    assert late.end_silence_ms >= 600
    # and the early decode served the turn: one decode, not two
    assert early.asr_ms < late.asr_ms + 50


async def test_an_open_question_keeps_the_usual_wait() -> None:
    said = [await _voice("well I have a question")]
    _, result = await _answered("open_talk", ["well I have a question"], said,
                                end_of_turn_for("meaning"))  # fmt: skip
    [timing] = result.timings
    assert timing.end_silence_ms is not None
    assert timing.end_silence_ms >= 600


def test_the_settings_choose_the_detector() -> None:
    assert IvrSettings().turn_end == "meaning"  # the sandbox outcome tests pass with it
    assert IvrSettings(turn_end="meaning").turn_end == "meaning"
    assert end_of_turn_for(IvrSettings(turn_end="silence")) is end_of_turn_for("silence")
    assert end_of_turn_for("meaning") is not end_of_turn_for("silence")


# --- the ivr.turn event ------------------------------------------------------------------------
async def test_each_debtor_turn_is_logged_as_ivr_turn_with_its_timings_and_no_words() -> None:
    said = [await _voice("yes")]
    with capture_logs() as logs:
        _, result = await _answered("confirm_promise", ["yes"], said, end_of_turn_for("meaning"))
    turns = [e for e in logs if e["event"] == "ivr.turn"]
    assert len(turns) == 1 == len(result.timings)
    [turn] = turns
    assert turn["language"] == "en"
    for name in ("voice_to_voice_ms", "processing_ms", "asr_ms", "nlu_ms", "tts_first_audio_ms"):
        assert isinstance(turn[name], float), name
        assert 0 <= turn[name] < 5000, name
    assert turn["voice_to_voice_ms"] >= turn["processing_ms"] >= turn["asr_ms"]
    # voice to voice = the silence waited + the processing after the turn ended
    gap = turn["voice_to_voice_ms"] - turn["processing_ms"] - turn["end_silence_ms"]
    assert abs(gap) < 0.5
    assert "yes" not in {str(v) for v in turn.values()}  # no words of the debtor
    metrics = Metrics()
    metrics.observe(None, "info", dict(turn))
    seen = metrics.registry.get_sample_value(
        "collectbot_turn_seconds_count", {"language": "en", "phase": "voice_to_voice"}
    )
    assert seen == 1.0


# --- the prompt cache --------------------------------------------------------------------------
GREETING = "Hello, this is Example Bank. We are calling about your account."
TEMPLATE = "Thank you, {name}. This is an attempt to collect a debt."


def _reply(name: str) -> object:
    text = TEMPLATE.format(name=name)

    def reply(e: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [
                Say(GREETING, "greeting", "en"),
                Say(text, "thanks", "en", variables=(("name", name),)),
                BYE,
            ]
        return []

    return reply


async def _call_with(speaker: Speaker, name: str) -> Call:
    async with a_call(_reply(name), speaker=speaker) as c:  # type: ignore[arg-type]
        await asyncio.wait_for(c.session.run(), 10)
    return c


async def test_static_prompts_come_from_the_cache_and_the_debtors_name_is_synthesised(
    tmp_path: Path,
) -> None:
    synth = FakeSynthesizer()
    prompts = PromptSpeaker(synth, PromptCache(synth, tmp_path), "v1")
    first = await _call_with(Speaker(synth, prompts=prompts), "John Smith")
    assert first.leg.chunks_played > 0
    assert any("Example Bank" in clause for clause in synth.rendered)
    synth.rendered.clear()
    second = await _call_with(Speaker(synth, prompts=prompts), "Ann Lee")
    assert second.leg.chunks_played == first.leg.chunks_played
    rendered = " ".join(synth.rendered)
    assert "Example Bank" not in rendered  # the greeting: from the cache, not synthesised
    assert "attempt to collect" not in rendered  # the template's static part too
    assert "Ann Lee" in rendered  # the variable part is synthesised for this call
    # on disk: the three static runs ("Hello, … account.", "Thank you,", "This is … debt."),
    # rendered once; neither call's name (else four or five files)
    assert len(await asyncio.to_thread(lambda: list(tmp_path.iterdir()))) == 3


async def test_without_the_prompt_speaker_every_prompt_is_synthesised(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    await _call_with(Speaker(synth), "John Smith")
    synth.rendered.clear()
    await _call_with(Speaker(synth), "Ann Lee")
    assert any("Example Bank" in clause for clause in synth.rendered)


async def test_a_detector_factory_may_take_the_calls_context() -> None:
    seen: list[TurnContext] = []

    def factory(turn: TurnContext) -> TurnDetector:
        seen.append(turn)
        return MarkerDetector()

    reply = _asks("confirm_promise", [BYE])
    async with a_call(reply, lines=["yes"], end_of_turn=factory) as c:  # type: ignore[arg-type]
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        c.leg.push(b"S", b"E")
        await asyncio.wait_for(run, 5)
    [turn] = seen
    assert (turn.lang, turn.prompt_key()) == ("en", "confirm_promise")
    assert turn.understand("yes", "en").intent == "affirm"  # the call's conversation reads it
