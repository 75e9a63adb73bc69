"""Transfers to real agents through the sandbox Asterisk, a real Redis and the admin API.

The IVR (``CallSession`` with ``DbAgentDesk`` and ``AgentConsole``, as ``dialer.wiring``
builds them) answers a simulated debtor; the scripted policy hands the call to an agent. The
agents live in a SQLite database; their dial string is the sandbox's ``agent`` context (answers,
plays a prompt, echoes). The agent's console is the admin API's ``/live/agent`` websocket over
a ``RedisHub``: what the IVR publishes on Redis reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from conftest import ensure_service
from fastapi.testclient import TestClient
from ivr_sandbox_fixtures import Harness, asterisk, harness
from sqlalchemy import select, update
from structlog.testing import capture_logs

from admin_api.app import create_app
from admin_api.main import build_services
from admin_api.redis_hub import RedisHub
from admin_api.security import Passwords
from admin_api.settings import ApiSettings
from asr.whisper import WhisperRecognizer
from cli.data_commands import write_demo_data
from core.clock import FixedClock, SystemClock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Lang,
    Outcome,
    Parse,
    Say,
    ScheduleCallback,
    TransferFailed,
    TransferToAgent,
)
from data.crypto import Keyring
from data.db import Database
from data.live import LIVE_PREFIX, QUEUE_TOPIC, AsyncRedisPublisher, agent_topic
from data.models import Agent, Case, User
from data.portfolio.importer import import_portfolio
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from ivr.transfer_desk import DbAgentDesk
from ivr.transfer_publish import AgentConsole
from simulation.simulator import SimulatedDebtor
from sms.file_gateway import FileSmsGateway
from sms.settings import SmsSettings
from tts.espeak import EspeakSynthesizer

__all__ = ["asterisk", "harness"]

IVR_APP = "collectbot-xfer"
REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
PASSWORD = "correct horse battery staple"
AGENT_LEG = "Local/s@agent/n"
BOT_LINE = "Let me put you through to a colleague."
SORRY = "Sorry, nobody is free now. We will call you back."


class Scripted:
    """The policy stand-in: transfer at once; on a failed transfer apologise and book a
    callback (what the real policy does)."""

    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("out_of_scope", 0.5)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        match event:
            case CallAnswered():
                return [Say(BOT_LINE, "xfer", "en"), TransferToAgent("request_agent", "plan")]
            case TransferFailed():
                return [
                    Say(SORRY, "sorry", "en"),
                    ScheduleCallback(None, "no agent answered"),
                    Hangup(Outcome.CALLBACK_SCHEDULED),
                ]
        return []


@dataclass
class World:
    db: Database
    case_id: str
    agents: dict[str, str]  # role in the test -> agent id
    token: str  # the case agent's API token
    client: TestClient
    keyring: Keyring
    results: list[CallResult] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def status(self, role: str) -> str:
        with self.db.transaction() as s:
            agent = s.get(Agent, self.agents[role])
            assert agent is not None
            return agent.status

    def set_status(self, role: str, status: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(Agent).where(Agent.id == self.agents[role]).values(status=status))

    async def result(self, within: float = 30.0) -> CallResult:
        await asyncio.wait_for(self.done.wait(), within)
        return self.results[0]


def _seed(
    db: Database, keyring: Keyring, clock: FixedClock, tmp: Path
) -> tuple[str, dict[str, str]]:
    path = tmp / "portfolio.csv"
    write_demo_data(3, 7, path, date(2026, 11, 29))
    import_portfolio(db, keyring, path, clock, parallel=False)
    tag = uuid.uuid4().hex[:8]  # unique topics on the shared Redis
    agents = {k: f"agt_{k}_{tag}" for k in ("own", "other", "zh", "paused")}
    spec = {  # role -> (languages, status); all dial the sandbox's answering agent
        "own": (["en"], "available"),
        "other": (["en", "zh"], "available"),
        "zh": (["zh"], "available"),
        "paused": (["en"], "paused"),
    }
    with db.transaction() as s:
        hashed = Passwords(memory_kib=1024, time_cost=1).hash(PASSWORD)
        s.add(User(id="usr_agent", username="agent", password_hash=hashed, role="agent",
                   active=True, created_at=clock.now()))  # fmt: skip
        s.flush()
        for role, (languages, status) in spec.items():
            s.add(Agent(id=agents[role], user_id="usr_agent" if role == "own" else None,
                        display_name=role, endpoint=AGENT_LEG, languages=languages, products=[],
                        tiers=[], capacity=50, status=status, created_at=clock.now()))  # fmt: skip
        s.flush()
        case_id = sorted(s.scalars(select(Case.id)))[0]
        s.execute(update(Case).where(Case.id == case_id).values(assigned_agent_id=agents["own"]))
    return case_id, agents


@pytest.fixture
def world(sqlite_url: str, keyring: Keyring, clock: FixedClock, tmp_path: Path) -> Iterator[World]:
    ensure_service("redis", REDIS_PORT)
    db = Database.connect(sqlite_url)
    case_id, agents = _seed(db, keyring, clock, tmp_path)
    settings = ApiSettings(
        upload_dir=str(tmp_path / "up"), argon2_memory_kib=1024, argon2_time_cost=1,
        followup_interval=0, sms_steps_interval=0, promise_check_interval=0,
        live_redis_url=REDIS_URL,
    )  # fmt: skip
    sms = SmsSettings(file_path=tmp_path / "outbox.jsonl")
    services = build_services(
        settings, db, keyring, clock, sms_settings=sms, sms_gateway=FileSmsGateway(sms.file_path)
    )
    assert isinstance(services.hub, RedisHub)
    with TestClient(create_app(services)) as client:
        r = client.post("/auth/token", data={"username": "agent", "password": PASSWORD})
        assert r.status_code == 200, r.text
        yield World(db, case_id, agents, r.json()["access_token"], client, keyring)
    services.hub.close()
    db.dispose()


@pytest.fixture(scope="module")
def whisper() -> WhisperRecognizer:
    recognizer = WhisperRecognizer()
    asyncio.run(recognizer.warm_up())
    return recognizer


IvrFactory = Callable[..., Any]


@pytest.fixture
async def start_ivr(
    asterisk: AriSettings, whisper: WhisperRecognizer, world: World
) -> AsyncIterator[Callable[[IvrSettings, str], None]]:
    """``start(settings, redis_url)``: the IVR app answering ``IVR_APP`` calls."""
    ari_settings = asterisk.model_copy(update={"app": IVR_APP})
    espeak = EspeakSynthesizer()
    tasks: list[asyncio.Task[None]] = []
    publishers: list[AsyncRedisPublisher] = []
    async with AriClient(ari_settings) as ari:

        def start(settings: IvrSettings, redis_url: str) -> None:
            live = AsyncRedisPublisher(redis_url, timeout_s=0.5)
            publishers.append(live)
            console, desk = (
                AgentConsole(live),
                DbAgentDesk(world.db, world.keyring, SystemClock(), live),
            )

            def factory(
                channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
            ) -> CallSession:
                return CallSession.over_ari(
                    ari=ari, channel_id=channel.id, conversation=Scripted(), recognizer=whisper,
                    synthesizer=espeak, clock=SystemClock(), settings=settings, claim=claim,
                    case_id=world.case_id, desk=desk, publish=console, live=console,
                )  # fmt: skip

            async def on_result(result: CallResult) -> None:
                world.results.append(result)
                world.done.set()

            app = IvrApp(ari_settings, ari, factory, on_result)
            tasks.append(asyncio.create_task(app.run()))

        yield start
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for live in publishers:
            await live.aclose()
    await asyncio.sleep(0.2)  # let the app's websocket close


async def _subscribed(topic: str) -> None:
    """Wait until the API's websocket has subscribed on Redis."""
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        for _ in range(200):
            counts = dict(await client.pubsub_numsub(LIVE_PREFIX + topic))
            if counts.get((LIVE_PREFIX + topic).encode(), 0):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"nobody subscribed to {topic}")
    finally:
        await client.aclose()


async def _debtor(harness: Harness) -> tuple[str, str, SimulatedDebtor, asyncio.Task[None]]:
    debtor, sim = await harness.simulated_call(bot_app=IVR_APP)
    person = await harness.media_leg(sim)
    simulated = SimulatedDebtor(person.endpoint, person.sender)
    return debtor, sim, simulated, asyncio.create_task(simulated.listen())


async def _receive(ws: Any, within: float = 20.0) -> dict[str, Any]:
    message: dict[str, Any] = await asyncio.wait_for(asyncio.to_thread(ws.receive_json), within)
    return message


async def test_transfer_picks_the_case_agent_and_pops_their_console_with_live_lines(
    harness: Harness, world: World, start_ivr: Callable[[IvrSettings, str], None]
) -> None:
    """Available agents: the case's own (en), another (en, zh), a Mandarin-only one and a
    paused one. The English call goes to the case's own agent, who is on_call while talking and
    in wrap_up afterwards; their console gets the screen-pop, the debtor's words live, the end."""
    start_ivr(IvrSettings(no_input_s=30, agent_answer_timeout_s=8), REDIS_URL)
    own = world.agents["own"]
    with world.client.websocket_connect(f"/live/agent?token={world.token}") as ws:
        await _subscribed(agent_topic(own))
        debtor, sim, simulated, listener = await _debtor(harness)
        pop = await _receive(ws)
        assert pop["type"] == "screen_pop"
        assert (pop["case_id"], pop["case"]["id"]) == (world.case_id, world.case_id)
        assert (pop["call_id"], pop["agent_id"], pop["summary"]) == (debtor, own, "plan")
        assert [line["text"] for line in pop["transcript"]] == [BOT_LINE]
        opened = world.client.get(
            f"/cases/{world.case_id}", headers={"Authorization": f"Bearer {world.token}"}
        )
        assert opened.status_code == 200, opened.text  # the console may open the case
        assert world.status("own") == "on_call"
        assert [world.status(r) for r in ("other", "zh", "paused")] == [
            "available", "available", "paused"
        ]  # fmt: skip
        bridge = await harness.ari.get_bridge(f"{debtor}-br")
        assert set(bridge.channels) == {debtor, pop["agent_channel_id"]}

        await asyncio.sleep(2.5)  # the agent's prompt is over (it echoes from then on)
        line = await EspeakSynthesizer().synthesize("I would like a payment plan.", "en", 8000)
        await simulated.say(line)
        live = await _receive(ws, within=30)
        assert (live["type"], live["call_id"], live["speaker"]) == ("transcript", debtor, "debtor")
        print("live line:", live["text"])
        assert "plan" in live["text"].lower() or "pay" in live["text"].lower()

        await harness.ari.hangup(sim)
        ended = await _receive(ws)
        assert ended == {"type": "call.ended", "call_id": debtor, "case_id": world.case_id,
                         "reason": "caller_hung_up"}  # fmt: skip
    result = await world.result()
    listener.cancel()
    assert (result.outcome, result.agent_id) == (Outcome.TRANSFERRED, own)
    assert any(x.speaker == "debtor" for x in result.transcript)
    assert world.status("own") == "wrap_up"
    for leg in (pop["agent_channel_id"], f"{debtor}-em", f"{debtor}-snoop"):
        assert await harness.channel_gone(leg)
    assert await harness.bridge_gone(f"{debtor}-live")


async def test_no_free_agent_sends_the_call_to_the_queue(
    harness: Harness, world: World, start_ivr: Callable[[IvrSettings, str], None]
) -> None:
    """Only a Mandarin speaker is free for an English call: it goes to IVR_AGENT_ENDPOINT (the
    queue), and the screen-pop to the queue's topic; no agent's status changes."""
    world.set_status("own", "offline")
    world.set_status("other", "on_call")
    start_ivr(IvrSettings(no_input_s=30, agent_endpoint=AGENT_LEG, agent_live_transcript=False),
              REDIS_URL)  # fmt: skip
    hub = RedisHub(REDIS_URL)
    try:
        async with hub.subscribe(QUEUE_TOPIC) as queue:
            await _subscribed(QUEUE_TOPIC)
            debtor, sim, _simulated, listener = await _debtor(harness)
            pop = await asyncio.wait_for(queue.get(), 20)
            assert (pop["type"], pop["call_id"], pop["agent_id"]) == ("screen_pop", debtor, None)
            assert pop["case_id"] == world.case_id
            await harness.ari.hangup(sim)
            assert (await asyncio.wait_for(queue.get(), 10))["type"] == "call.ended"
    finally:
        hub.close()
    result = await world.result()
    listener.cancel()
    assert (result.outcome, result.agent_id) == (Outcome.TRANSFERRED, None)
    assert [world.status(r) for r in ("own", "other", "zh")] == ["offline", "on_call", "available"]


async def test_an_agent_who_does_not_answer_is_freed_and_the_debtor_gets_a_callback(
    harness: Harness, world: World, start_ivr: Callable[[IvrSettings, str], None]
) -> None:
    world.set_status("other", "offline")
    with world.db.transaction() as s:  # the case's agent's phone only rings
        s.execute(update(Agent).where(Agent.id == world.agents["own"]).values(
            endpoint="Local/s@sim-ring/n"))  # fmt: skip
    start_ivr(IvrSettings(no_input_s=30, agent_answer_timeout_s=2), REDIS_URL)
    debtor, _sim, _simulated, listener = await _debtor(harness)
    result = await world.result()
    listener.cancel()
    assert result.outcome == Outcome.CALLBACK_SCHEDULED
    assert ScheduleCallback(None, "no agent answered") in result.records
    assert [x.text for x in result.transcript if x.speaker == "bot"] == [BOT_LINE, SORRY]
    assert world.status("own") == "available"
    assert await harness.channel_gone(f"{debtor}-agent")


async def test_a_dead_redis_does_not_stop_the_transfer(
    harness: Harness, world: World, start_ivr: Callable[[IvrSettings, str], None]
) -> None:
    start_ivr(IvrSettings(no_input_s=30, agent_live_transcript=False), "redis://127.0.0.1:1/0")
    with capture_logs() as logs:
        debtor, sim, _simulated, listener = await _debtor(harness)
        for _ in range(200):
            if world.status("own") == "on_call" and await _bridged(harness, debtor):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
        await harness.ari.hangup(sim)
        result = await world.result()
    listener.cancel()
    assert (result.outcome, result.agent_id) == (Outcome.TRANSFERRED, world.agents["own"])
    failed = [e for e in logs if e["event"] == "ivr.transfer_publish_failed"]
    assert [e["what"] for e in failed] == ["screen_pop", "ended"]
    assert world.status("own") == "wrap_up"


async def _bridged(harness: Harness, debtor: str) -> bool:
    with contextlib.suppress(Exception):
        bridge = await harness.ari.get_bridge(f"{debtor}-br")
        return f"{debtor}-agent" in bridge.channels
    return False
