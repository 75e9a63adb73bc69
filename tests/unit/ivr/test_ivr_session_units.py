"""The call session without Asterisk: its parts faked (media leg, turn detector, conversation)
and the real ``AriClient`` over ``httpx.MockTransport`` as the call-control port. The greeting,
a turn, barge-in, silence, keypad entry, the caller hanging up at each moment, ARI errors (the
transfer: ``test_ivr_session_transfer``; the media set-up: ``test_ivr_session_media``)."""

from __future__ import annotations

import asyncio

import pytest
from ivr_session_fakes import CALLER, Scripted, dtmf
from ivr_session_harness import BYE, SETTINGS, a_call, caller_hangs_up, finished, say, until

from asr.base import RecognitionOptions, Transcript
from asr.fake import FakeRecognizer
from core.dialogue import (
    AskDTMF,
    BargedIn,
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Hangup,
    Outcome,
    SilenceTimedOut,
    UtteranceHeard,
)
from ivr.calls import Conversation
from ivr.session import ConversationSource


# --- the greeting and a turn -------------------------------------------------------------------
async def test_the_greeting_is_spoken_and_the_bots_hangup_ends_the_call_cleanly() -> None:
    async with a_call(lambda e: [say("greeting"), BYE] if isinstance(e, CallAnswered) else []) as c:
        result = await finished(c)
    assert isinstance(c.heard[0], CallAnswered)
    assert c.transcript() == [("bot", "the greeting prompt")]
    assert c.leg.chunks_played > 0
    assert (result.outcome, result.end_reason) == (Outcome.REFUSED, "bot_hung_up")
    assert result.recording == f"call-{CALLER}"
    assert result.ended_at is not None
    assert f"DELETE /channels/{CALLER}" in c.asterisk.requests
    assert len(c.media.closed) == 1  # the media is undone once
    assert c.asterisk.left_behind() == (set(), {}, set())


async def test_a_conversation_loaded_by_the_call_is_loaded_once_while_the_media_is_set_up() -> None:
    order: list[str] = []

    def source(conversation: Scripted) -> ConversationSource:
        async def load() -> Conversation:
            order.append("loading")
            await asyncio.sleep(0.05)  # e.g. the case's facts from the database
            order.append("loaded")
            return conversation

        return load

    async with a_call(lambda e: [BYE], source=source) as c:
        result = await finished(c)
    assert order == ["loading", "loaded"]
    assert c.media.opened == 1
    assert [type(e) for e in c.heard] == [CallAnswered]
    assert result.outcome is Outcome.REFUSED


async def test_a_turn_heard_is_understood_and_answered_with_its_timing() -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("verify")]
        if isinstance(e, UtteranceHeard):
            return [say("thanks"), BYE]
        return []

    async with a_call(reply, lines=["yes it is me"]) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        c.leg.push(b"S", b"...", b"E")
        result = await asyncio.wait_for(run, 5)
    heard = c.heard[1]
    assert isinstance(heard, UtteranceHeard)
    assert (heard.text, heard.lang, heard.parse.intent) == ("yes it is me", "en", "affirm")
    assert heard.parse.asr_confidence == 1.0  # the recogniser's confidence travels with it
    assert c.conversation.understood == [("yes it is me", "en")]
    assert c.transcript() == [
        ("bot", "the verify prompt"),
        ("debtor", "yes it is me"),
        ("bot", "the thanks prompt"),
    ]
    [timing] = result.timings
    assert timing.asr_ms >= 0
    assert timing.decide_ms >= 0
    assert timing.first_audio_ms is not None
    assert timing.first_audio_ms >= timing.asr_ms


async def test_noise_is_no_turn_and_the_silence_timer_starts_again() -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        return [say("greeting")] if isinstance(e, CallAnswered) else [BYE]

    async with a_call(reply) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.sleep(0.2)
        c.leg.push(b"S", b"N")  # a cough at 0.2 s: the 0.3 s wait starts again from there
        result = await asyncio.wait_for(run, 5)
        waited = loop.time() - started
    assert [type(e) for e in c.heard] == [CallAnswered, SilenceTimedOut]
    assert waited >= 0.45
    assert [x.speaker for x in result.transcript] == ["bot"]  # nothing heard was written


# --- barge-in ----------------------------------------------------------------------------------
async def test_speech_over_an_interruptible_prompt_stops_it_and_the_policy_hears_barged_in() -> (
    None
):
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("disclosure"), say("question"), AskDTMF("never")]
        if isinstance(e, BargedIn):
            return []
        return [BYE]

    async with a_call(reply, lines=["wait who is this"]) as c:
        c.leg.hold = True
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.playing.is_set())
        c.leg.push(b"S")
        await until(lambda: c.leg.stops > 0)
        c.leg.push(b"E")
        result = await asyncio.wait_for(run, 5)
    assert c.leg.plays == 1  # the rest of that reply was not spoken
    assert [type(e) for e in c.heard] == [CallAnswered, BargedIn, UtteranceHeard]
    assert c.heard[1] == BargedIn("disclosure")
    assert [t for _, t in c.transcript()] == [
        "the disclosure prompt",
        "[interrupted]",
        "wait who is this",
    ]
    assert result.end_reason == "bot_hung_up"


async def test_speech_over_a_prompt_that_must_be_heard_does_not_stop_it() -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("legal", interruptible=False)]
        return [BYE]

    async with a_call(reply, lines=["hello"]) as c:
        c.leg.hold = True
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.playing.is_set())
        c.leg.push(b"S")
        await asyncio.sleep(0.05)
        assert c.leg.stops == 0
        c.leg.release()
        c.leg.push(b"E")
        await asyncio.wait_for(run, 5)
    assert not any(isinstance(e, BargedIn) for e in c.heard)
    assert "[interrupted]" not in [t for _, t in c.transcript()]


# --- silence -----------------------------------------------------------------------------------
async def test_silence_reprompts_until_the_policy_gives_up() -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("greeting")]
        timeouts = sum(isinstance(x, SilenceTimedOut) for x in c.heard)
        return [say("still there")] if timeouts < 2 else [Hangup(Outcome.HUNG_UP)]

    async with a_call(reply) as c:
        result = await finished(c)
    assert [type(e) for e in c.heard] == [CallAnswered, SilenceTimedOut, SilenceTimedOut]
    assert c.heard[1] == SilenceTimedOut(SETTINGS.no_input_s)
    assert [t for _, t in c.transcript()].count("the still there prompt") == 1
    assert result.outcome is Outcome.HUNG_UP


# --- keypad ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("1234", "1234"),  # max digits reached
        ("12#", "12"),  # the terminator ends the entry
        ("12", "12"),  # the digit timeout ends it
    ],
)
async def test_keypad_digits_asked_for(keys: str, expected: str) -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("enter"), AskDTMF("id_last4", max_digits=4, timeout_seconds=0.3)]
        return [BYE]

    async with a_call(reply) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        for key in keys:
            c.session.deliver(dtmf(key))
            await asyncio.sleep(0.1)  # under the digit timeout: the timer restarts on each
        await asyncio.wait_for(run, 5)
    assert c.heard[1:] == [DtmfReceived(expected)]
    assert [t for s, t in c.transcript() if s == "dtmf"] == list(keys)


async def test_digits_nobody_asked_for_are_collected_until_the_pause() -> None:
    async with a_call(lambda e: [say("greeting")] if isinstance(e, CallAnswered) else [BYE]) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        c.session.deliver(dtmf("0"))
        c.session.deliver(dtmf("9", channel_id="someone-else"))  # not the caller's
        await asyncio.wait_for(run, 5)
    assert c.heard[1:] == [DtmfReceived("0")]


# --- the caller hangs up -----------------------------------------------------------------------
class SlowRecognizer(FakeRecognizer):
    """Recognises once ``slow`` is set."""

    def __init__(self) -> None:
        super().__init__(["hello"])
        self.slow = asyncio.Event()

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        await self.slow.wait()
        return await super().transcribe(pcm, sample_rate, options)


@pytest.mark.parametrize("moment", ["greeting", "waiting", "recognising", "keying"])
async def test_the_caller_hanging_up_at_any_moment_ends_the_call_once(moment: str) -> None:
    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        if isinstance(e, CallAnswered):
            return [say("greeting"), AskDTMF("pin", max_digits=4, timeout_seconds=5.0)]
        if isinstance(e, CallerHungUp):
            return [Hangup(Outcome.HUNG_UP)]
        return [say("go on")]

    settings = SETTINGS.model_copy(update={"no_input_s": 5.0})
    recognizer = SlowRecognizer()
    slow = recognizer.slow
    async with a_call(reply, settings=settings, recognizer=recognizer) as c:
        if moment == "greeting":
            c.leg.hold = True
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.playing.is_set())
        if moment == "recognising":
            c.leg.push(b"S", b"E")
            await asyncio.sleep(0.05)
        if moment == "keying":
            c.session.deliver(dtmf("1"))
        caller_hangs_up(c)
        slow.set()
        result = await asyncio.wait_for(run, 5)
    assert result.end_reason == "caller_hung_up"
    assert result.outcome is Outcome.HUNG_UP
    assert sum(isinstance(e, CallerHungUp) for e in c.heard) == 1
    assert len(c.media.closed) == 1
    if moment == "greeting":
        assert c.leg.stops >= 1  # the prompt stopped at once


# --- ARI errors --------------------------------------------------------------------------------
async def test_a_failing_hangup_still_ends_the_call_and_undoes_the_media() -> None:
    async with a_call(lambda e: [BYE] if isinstance(e, CallAnswered) else []) as c:
        c.asterisk.fail[f"DELETE /channels/{CALLER}"] = 500
        result = await finished(c)
    assert result.end_reason == "bot_hung_up"
    assert c.asterisk.requests.count(f"DELETE /channels/{CALLER}") == 2  # the bot's, clean-up's
    assert len(c.media.closed) == 1


async def test_max_duration_hangs_up() -> None:
    settings = SETTINGS.model_copy(update={"max_call_s": 0.2, "no_input_s": 5.0})
    async with a_call(
        lambda e: [say("greeting")] if isinstance(e, CallAnswered) else [], settings=settings
    ) as c:
        result = await finished(c)
    assert result.end_reason == "max_duration"
    assert f"DELETE /channels/{CALLER}" in c.asterisk.requests
