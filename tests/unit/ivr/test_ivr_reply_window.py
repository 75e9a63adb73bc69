"""The reply window: a call counts as waiting for its reply from its debtor's end of turn to
the reply's first audio frame (process-wide housekeeping such as ``malloc_trim`` waits while
any call is in it). Each way out of the window closes it exactly once."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from ivr_session_harness import BYE, SETTINGS, a_call, caller_hangs_up, say, until

from asr.base import RecognitionOptions, Transcript
from asr.fake import FakeRecognizer
from core.dialogue import CallAnswered, DialogueCommand, DialogueEvent, UtteranceHeard
from ivr.reply_window import ReplyWindows


class HeldRecognizer(FakeRecognizer):
    """Recognises once ``go`` is set (a turn whose transcription is still running)."""

    def __init__(self) -> None:
        super().__init__(["yes it is me"])
        self.go = asyncio.Event()

    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript:
        await self.go.wait()
        return await super().transcribe(pcm, sample_rate, options)


async def test_open_from_the_end_of_turn_through_the_decision_closed_at_the_first_audio() -> None:
    replies = ReplyWindows()
    seen: list[tuple[str, int]] = []

    def reply(e: DialogueEvent) -> list[DialogueCommand]:
        seen.append((type(e).__name__, replies.open))
        if isinstance(e, CallAnswered):
            return [say("verify")]
        return [say("thanks"), BYE] if isinstance(e, UtteranceHeard) else []

    recognizer = HeldRecognizer()
    async with a_call(reply, recognizer=recognizer, replies=replies) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        assert replies.open == 0  # the greeting is no reply to a turn
        c.leg.push(b"S", b"...")
        await asyncio.sleep(0.05)
        assert replies.open == 0  # still speaking
        c.leg.push(b"E")
        await until(lambda: replies.open == 1)  # transcribing
        recognizer.go.set()
        result = await asyncio.wait_for(run, 5)
    assert seen == [("CallAnswered", 0), ("UtteranceHeard", 1)]
    assert (replies.open, replies.opened) == (0, 1)
    assert len(result.timings) == 1


async def test_closed_when_the_turn_was_noise() -> None:
    replies = ReplyWindows()
    async with a_call(
        lambda e: [say("greeting")] if isinstance(e, CallAnswered) else [BYE], replies=replies
    ) as c:
        run = asyncio.create_task(c.session.run())
        await until(lambda: c.leg.plays == 1)
        c.leg.push(b"S", b"N")
        await until(lambda: replies.opened == 1)
        assert replies.open == 0
        await asyncio.wait_for(run, 5)
    assert (replies.open, replies.opened) == (0, 1)


@pytest.mark.parametrize("calls", [1, 3])
async def test_closed_when_the_caller_hangs_up_inside_it(calls: int) -> None:
    replies = ReplyWindows()
    settings = SETTINGS.model_copy(update={"no_input_s": 5.0})
    recognizers = [HeldRecognizer() for _ in range(calls)]
    async with contextlib.AsyncExitStack() as stack:
        held = []
        for recognizer in recognizers:
            call = a_call(
                lambda e: [say("greeting")], recognizer=recognizer, settings=settings,
                replies=replies,
            )  # fmt: skip
            c = await stack.enter_async_context(call)
            held.append((c, asyncio.create_task(c.session.run())))
        for c, _ in held:
            leg = c.leg
            await until(lambda: leg.plays == 1)  # noqa: B023 - awaited here, in this round
            leg.push(b"S", b"E")
        await until(lambda: replies.open == calls)
        for (c, run), recognizer in zip(held, recognizers, strict=True):
            caller_hangs_up(c)
            recognizer.go.set()  # the turn being heard ends; the hang-up is seen after it
            await asyncio.wait_for(run, 5)
    assert (replies.open, replies.opened) == (0, calls)


def test_a_window_closed_twice_is_a_bug() -> None:
    replies = ReplyWindows()
    replies.enter()
    replies.leave()
    with pytest.raises(RuntimeError):
        replies.leave()
