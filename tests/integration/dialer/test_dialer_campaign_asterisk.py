"""A campaign end to end through real services: the dialer (``CampaignWorker``) on real Redis
and a real SQLite database dials every due case through the sandbox Asterisk (``AriOriginator``)
into an ``IvrApp`` whose finished calls ``dialer.call_end.CallEnding`` records. Each case's number
leads to a far end with its own behaviour (answers, busy, never answers, does not exist,
congested); the answered ones talk to a scripted bot that records a promise (fake speech).
The outcomes in the database must match the behaviour of every case, and nobody is dialed
twice. Run under ``flock /tmp/collectbot-sandbox.lock``.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from conftest import ensure_service
from dialer_sandbox import asterisk
from sqlalchemy import select

from asr.fake import FakeRecognizer
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Lang,
    Outcome,
    Parse,
    RecordPromise,
    Say,
)
from core.money import Money
from data.crypto import Keyring
from data.db import Database
from data.models import Campaign, Case, ContactAttempt, Debtor, Promise
from data.portfolio.importer import import_portfolio
from dialer.ari_originator import AriOriginator
from dialer.call_end import CallEnding
from dialer.origination import DialRequest, Originator
from dialer.queue import DialQueue
from dialer.settings import DialerSettings
from dialer.worker import CampaignWorker
from ivr.ari import AriClient, Channel
from ivr.calls import Conversation
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

__all__ = ["asterisk"]

APP = "collectbot-campaign-test"
REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # 09:00-14:00 across the US zones
# far end -> (dialplan endpoint, the attempt outcome the database must show)
BEHAVIOURS = {
    "promise": ("Local/s@answer-wait/n", "promise_to_pay"),
    "busy": ("Local/s@sim-busy/n", "busy"),
    "no_answer": ("Local/s@sim-noanswer/n", "no_answer"),
    "invalid": ("Local/s@sim-invalid/n", "invalid_number"),
    "congested": ("Local/s@sim-congestion/n", "failed"),
}


def behaviour_of(case_id: str) -> str:
    digest = hashlib.sha256(case_id.encode()).digest()
    return list(BEHAVIOURS)[digest[0] % len(BEHAVIOURS)]


class PromiseBot:
    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("promise_to_pay", 0.9)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [
                Say("Hello, this is Example Bank.", "greet", "en"),
                RecordPromise(Money.of("50", "USD"), date(2026, 12, 4)),
                Hangup(Outcome.PROMISE_TO_PAY),
            ]
        return []


def campaign_in_sqlite(
    sqlite_url: str,
    keyring: Keyring,
    tmp_path: Path,
    definition: dict[str, Any] | None = None,
    *,
    cases: int = 40,
    seed: int = 5,
) -> tuple[Database, str]:
    """A SQLite database with a demo portfolio and one running campaign of ``definition``."""
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(cases, seed, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    definition = definition or {"filter": {"jurisdiction": "US"}, "pacing": "bot", "max_lines": 6}
    with db.transaction() as s:
        s.add(Campaign(id=cid, name="asterisk", status="running", created_at=NOW, updated_at=NOW,
                       definition=definition))  # fmt: skip
    return db, cid


async def run_on_asterisk(
    asterisk: AriSettings,
    db: Database,
    cid: str,
    keyring: Keyring,
    conversation: Callable[[], Conversation],
    endpoint: Callable[[DialRequest], str],
    *,
    lines: int = 6,
    app_name: str = APP,
    wrap: Callable[[AriOriginator], Originator] = lambda o: o,
) -> None:
    """The campaign's worker until nothing is left, through the sandbox into an ``IvrApp``
    whose sessions talk with ``conversation()`` (fake speech) and report to ``CallEnding``."""
    ensure_service("redis", REDIS_PORT)
    clock = FixedClock(NOW)
    settings = asterisk.model_copy(update={"app": app_name})
    queue = DialQueue(aioredis.Redis(port=REDIS_PORT, decode_responses=True), claim_idle_ms=5000)
    ending = CallEnding(db.async_sessions(), keyring, clock)  # the IVR's side of each call
    async with AriClient(settings) as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=conversation(),
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(), clock=clock,
                settings=IvrSettings(no_input_s=5.0, max_call_s=30.0), claim=claim,
            )  # fmt: skip

        app = IvrApp(settings, ari, factory, ending.ivr_ended)
        originator = AriOriginator(ari, app.watchers, clock, endpoint_for=endpoint, app=app_name)
        worker = CampaignWorker(
            campaign_id=cid, queue=queue, sessions=db.async_sessions(), keyring=keyring,
            clock=clock, originator=wrap(originator), settings=DialerSettings(), worker_id="w1",
            ivr_capacity=lines,
        )  # fmt: skip
        async with asyncio.TaskGroup() as tg:
            ivr = tg.create_task(app.run())
            await asyncio.wait_for(app.ready.wait(), 10)
            await asyncio.wait_for(worker.run(asyncio.Event(), until_idle=True), 120)
            await asyncio.sleep(0.5)  # the last writes
            ivr.cancel()


async def test_campaign_outcomes_in_the_database_match_the_far_ends(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    db, cid = campaign_in_sqlite(sqlite_url, keyring, tmp_path)
    dialed: list[str] = []

    def endpoint(request: DialRequest) -> str:
        dialed.append(request.case_id)
        return BEHAVIOURS[behaviour_of(request.case_id)][0]

    await run_on_asterisk(asterisk, db, cid, keyring, PromiseBot, endpoint)

    with db.transaction() as s:
        us_cases = set(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        )
        rows = list(s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid)))
        promises = {p.case_id for p in s.scalars(select(Promise))}
    expected = {case_id: BEHAVIOURS[behaviour_of(case_id)][1] for case_id in us_cases}
    got = {a.case_id: a.outcome for a in rows}
    print("behaviours:", Counter(expected.values()), "calls:", len(rows))
    assert len(us_cases) >= 20
    assert set(expected.values()) == {outcome for _, outcome in BEHAVIOURS.values()}
    assert Counter(dialed) == Counter(us_cases)  # every case dialed exactly once
    assert len(rows) == len(us_cases)
    assert got == expected
    assert all(a.state == "done" for a in rows)
    answered = {c for c, outcome in expected.items() if outcome == "promise_to_pay"}
    assert promises == answered
    assert all(a.answered_at is not None for a in rows if a.case_id in answered)
    assert all(a.answered_at is None for a in rows if a.case_id not in answered)
