"""Transfers without Asterisk: the order in which agents are tried, the console messages, and a
dead Redis under the IVR's publisher."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from asr.fake import FakeRecognizer
from core.clock import FixedClock
from core.dialogue import DialogueCommand, DialogueEvent, Lang, Parse
from data.live import QUEUE_TOPIC, AsyncRedisPublisher, LivePublishError, Message, agent_topic
from ivr import transfer
from ivr.ari import AriClient
from ivr.calls import TranscriptLine, TransferStarted
from ivr.session import CallSession
from ivr.settings import AriSettings
from ivr.transfer_desk import AgentPick, transfer_order
from ivr.transfer_publish import AgentConsole, screen_pop
from scoring.allocation import Agent, CaseNeed
from scoring.strategy import Tier
from tts.fake import FakeSynthesizer

AT = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


def _agent(agent_id: str, langs: str = "en", **kw: object) -> Agent:
    fields: dict[str, object] = {"products": frozenset(), "tiers": frozenset(), "capacity": 10}
    fields.update(kw)
    return Agent(agent_id, frozenset(langs.split(",")), **fields)  # type: ignore[arg-type]


NEED = CaseNeed("c1", "en", "card", Tier.HIGH, agent_id="own")


@pytest.mark.parametrize(
    ("agents", "need", "expected"),
    [
        # the case's own agent first, whatever the others' records
        ([_agent("a", recovery_rate=0.9), _agent("own")], NEED, ["own", "a"]),
        # only those who speak the language
        ([_agent("zh", "zh"), _agent("b"), _agent("both", "en,zh")], NEED, ["b", "both"]),
        # the skilled (product, tier) before the others
        (
            [_agent("a", products=frozenset({"mortgage"})), _agent("b", tiers={Tier.HIGH})],
            NEED,
            ["b", "a"],
        ),
        # then past recovery and spare capacity, as the allocation rules rank
        (
            [_agent("a", load=9), _agent("b", load=1), _agent("c", recovery_rate=0.8, load=9)],
            NEED,
            ["c", "b", "a"],
        ),
        # held cases at capacity do not bar a live call
        ([_agent("full", load=10)], NEED, ["full"]),
        # no case known: by rank only
        ([_agent("b"), _agent("a")], None, ["a", "b"]),
        ([_agent("zh", "zh")], NEED, []),
    ],
)
def test_transfer_order(agents: list[Agent], need: CaseNeed | None, expected: list[str]) -> None:
    assert transfer_order(agents, "en", need) == expected


CALL = TransferStarted(
    "call-1", "call-1-agent", "request_agent", "wants a plan",
    (TranscriptLine(AT, "bot", "Hello."), TranscriptLine(AT, "debtor", "A person please.")),
    case_id="case-1", agent_id="agt-1",
)  # fmt: skip


def test_screen_pop_carries_case_call_agent_summary_and_transcript() -> None:
    assert screen_pop(CALL) == {
        "type": "screen_pop",
        "case": {"id": "case-1"},
        "case_id": "case-1",
        "call_id": "call-1",
        "agent_id": "agt-1",
        "agent_channel_id": "call-1-agent",
        "reason": "request_agent",
        "summary": "wants a plan",
        "by": "bot",
        "transcript": [
            {"at": AT.isoformat(), "speaker": "bot", "text": "Hello."},
            {"at": AT.isoformat(), "speaker": "debtor", "text": "A person please."},
        ],
    }


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Message]] = []

    async def publish(self, topic: str, message: Message) -> None:
        self.sent.append((topic, message))


async def test_console_messages_go_to_the_agent_or_to_the_queue() -> None:
    recorder = Recorder()
    console = AgentConsole(recorder)
    await console(CALL)
    await console.line(CALL, TranscriptLine(AT, "debtor", "I can pay in March."))
    queued = TransferStarted("call-2", "call-2-agent", "r", "s", ())
    await console(queued)
    await console.ended(CALL, "agent_hung_up")
    topics = [topic for topic, _ in recorder.sent]
    assert topics == [agent_topic("agt-1"), agent_topic("agt-1"), QUEUE_TOPIC, agent_topic("agt-1")]
    assert recorder.sent[1][1] == {
        "type": "transcript", "call_id": "call-1", "at": AT.isoformat(), "speaker": "debtor",
        "text": "I can pay in March.",
    }  # fmt: skip
    assert recorder.sent[2][1]["case"] is None
    assert recorder.sent[3][1] == {
        "type": "call.ended", "call_id": "call-1", "case_id": "case-1", "reason": "agent_hung_up"
    }  # fmt: skip


async def test_async_publisher_on_a_dead_redis_raises_its_own_error_quickly() -> None:
    publisher = AsyncRedisPublisher("redis://127.0.0.1:1/0", timeout_s=0.5)
    try:
        with pytest.raises(LivePublishError):
            await publisher.publish("agent:a1", {"type": "x"})
    finally:
        await publisher.aclose()


class SlowDesk:
    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.released: list[tuple[str, bool]] = []

    async def pick(self, case_id: str | None, lang: Lang) -> AgentPick | None:
        await asyncio.sleep(self.delay_s)
        return AgentPick("agt-1", "PJSIP/agt-1")

    async def release(self, agent_id: str, *, talked: bool) -> None:
        self.released.append((agent_id, talked))

    async def connected(self, agent_id: str, case_id: str | None, call_id: str) -> None:
        raise AssertionError("not called here")


class Silent:
    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("out_of_scope", 0.0)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        return []


@pytest.mark.parametrize(("delay_s", "picked"), [(0.0, "agt-1"), (0.3, None)])
async def test_a_slow_desk_sends_the_call_to_the_queue_and_its_late_pick_is_freed(
    monkeypatch: pytest.MonkeyPatch, delay_s: float, picked: str | None
) -> None:
    """A pick within the time limit is used; one that comes later is not used (the call goes
    to the queue) but the agent it claimed is made available again."""
    monkeypatch.setattr(transfer, "PICK_TIMEOUT_S", 0.1)
    desk = SlowDesk(delay_s)
    async with AriClient(AriSettings()) as ari:  # never called here
        session = CallSession.over_ari(
            ari=ari, channel_id="c1", conversation=Silent(), recognizer=FakeRecognizer(),
            synthesizer=FakeSynthesizer(), clock=FixedClock(AT), desk=desk,
        )  # fmt: skip
        agent_transfer = session._transfer
        assert agent_transfer is not None
        picking = agent_transfer._start_pick()
        pick = await agent_transfer._picked(picking)
        assert (pick.agent_id if pick else None) == picked
        assert picking is not None
        await agent_transfer._release(picking, talked=pick is not None)
    assert desk.released == [("agt-1", pick is not None)]
