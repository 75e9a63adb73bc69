"""A call session assembled from fakes (``ivr_session_fakes``) for the unit tests: ``a_call``
gives the session, the fake Asterisk, the fake media and the scripted conversation."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from ivr_session_fakes import (
    AT,
    CALLER,
    FakeAsterisk,
    FakeLeg,
    FakeMedia,
    MarkerDetector,
    Scripted,
    event,
)

from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import DialogueCommand, DialogueEvent, Hangup, Outcome, Say
from ivr.calls import CallResult, TranscriptLine, TransferStarted
from ivr.listener import EndOfTurn, Listener
from ivr.reply_window import ReplyWindows
from ivr.session import CallSession, ConversationSource
from ivr.settings import IvrSettings
from ivr.speaker import Speaker
from ivr.transfer import AgentTransfer
from ivr.transfer_desk import AgentPick
from tts.fake import FakeSynthesizer

SETTINGS = IvrSettings(
    no_input_s=0.3, dtmf_interdigit_s=0.3, max_call_s=10.0, agent_answer_timeout_s=0.5
)


def say(key: str, *, interruptible: bool = True) -> Say:
    return Say(f"the {key} prompt", key, "en", interruptible=interruptible)


BYE = Hangup(Outcome.REFUSED)


@dataclass
class Call:
    session: CallSession
    asterisk: FakeAsterisk
    media: FakeMedia
    conversation: Scripted
    recognizer: FakeRecognizer

    @property
    def leg(self) -> FakeLeg:
        return self.media.leg

    @property
    def heard(self) -> list[DialogueEvent]:
        return self.conversation.events

    def transcript(self) -> list[tuple[str, str]]:
        return [(x.speaker, x.text) for x in self.session.result.transcript]


class Console:
    """The agent console: screen-pops, live lines and ends, as published."""

    def __init__(self) -> None:
        self.pops: list[TransferStarted] = []
        self.lines: list[str] = []
        self.ended: list[str] = []

    async def __call__(self, call: TransferStarted) -> None:
        self.pops.append(call)

    async def line(self, call: TransferStarted, line: TranscriptLine) -> None:
        self.lines.append(line.text)

    async def ended_(self, call: TransferStarted, reason: str) -> None:
        self.ended.append(reason)


class Desk:
    def __init__(self, pick: AgentPick | None) -> None:
        self._pick = pick
        self.released: list[tuple[str, bool]] = []
        self.connected_: list[str] = []

    async def pick(self, case_id: str | None, lang: str) -> AgentPick | None:
        return self._pick

    async def connected(self, agent_id: str, case_id: str | None, call_id: str) -> None:
        self.connected_.append(agent_id)

    async def release(self, agent_id: str, *, talked: bool) -> None:
        self.released.append((agent_id, talked))


@contextlib.asynccontextmanager
async def a_call(
    reply: Callable[[DialogueEvent], Sequence[DialogueCommand]],
    *,
    lines: Sequence[str] = (),
    settings: IvrSettings = SETTINGS,
    desk: Desk | None = None,
    console: Console | None = None,
    recognizer: FakeRecognizer | None = None,
    source: Callable[[Scripted], ConversationSource] | None = None,
    end_of_turn: EndOfTurn = MarkerDetector,
    speaker: Speaker | None = None,
    replies: ReplyWindows | None = None,
) -> AsyncIterator[Call]:
    """``source``: the conversation is loaded by the session (from this source) when it runs;
    ``end_of_turn``: marker frames by default (a real detector hears real audio)."""
    asterisk = FakeAsterisk()
    recognizer = recognizer or FakeRecognizer(lines)
    conversation = Scripted(reply)
    clock = FixedClock(AT)
    async with asterisk.client() as ari:
        media = FakeMedia(asterisk, ari)
        listener = Listener(recognizer, "en", end_of_turn=end_of_turn)
        live = None
        if console is not None:
            live = _LiveFeed(console)
        transfer = AgentTransfer(
            control=ari, channel_id=CALLER, lang="en", listener=listener, clock=clock,
            settings=settings, case_id="case-1", desk=desk, publish=console, live=live,
        )  # fmt: skip
        session = CallSession(
            control=ari, channel_id=CALLER,
            conversation=source(conversation) if source else conversation, media=media,
            listener=listener, speaker=speaker or Speaker(FakeSynthesizer()), clock=clock,
            settings=settings, transfer=transfer, replies=replies,
        )  # fmt: skip
        yield Call(session, asterisk, media, conversation, recognizer)


@dataclass
class _LiveFeed:
    console: Console

    async def line(self, call: TransferStarted, line: TranscriptLine) -> None:
        await self.console.line(call, line)

    async def ended(self, call: TransferStarted, reason: str) -> None:
        await self.console.ended_(call, reason)


async def until(condition: Callable[[], bool], within: float = 3.0) -> None:
    """Poll what a fake saw (the fakes have no event for each thing a test waits on)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.005)


async def finished(call: Call, within: float = 5.0) -> CallResult:
    async with asyncio.timeout(within):
        return await call.session.run()


def caller_hangs_up(call: Call) -> None:
    call.session.deliver(event("StasisEnd"))
