"""A campaign's ring time and calling window through the sandbox Asterisk: the worker dials
(real Redis, SQLite, ``AriOriginator`` into an ``IvrApp``) only the cases whose local time is
inside the campaign's window; every far end only rings ([sim-ring], 60 s), so each call is
given up after the campaign's ``ring_seconds`` (the originate's timeout) and stored
``no_answer``; the cases outside the window are not dialed and wait for its opening. Run under
``flock /tmp/collectbot-sandbox.lock``."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import redis.asyncio as aioredis
from conftest import ensure_service
from dialer_sandbox import asterisk
from sqlalchemy import select

from asr.fake import FakeRecognizer
from cli.data_commands import write_demo_data
from core.clock import FixedClock
from core.dialogue import DialogueCommand, DialogueEvent, Hangup, Lang, Outcome, Parse
from data.crypto import Keyring
from data.db import Database
from data.models import Campaign, Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from dialer.ari_originator import AriOriginator
from dialer.call_end import CallEnding
from dialer.origination import DialRequest, DialResult
from dialer.queue import DialQueue
from dialer.settings import DialerSettings
from dialer.worker import CampaignWorker
from ivr.ari import AriClient, Channel
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

__all__ = ["asterisk"]

APP = "collectbot-fields-test"
REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
NOW = datetime(2026, 11, 30, 19, 0, tzinfo=ZoneInfo("UTC"))  # 14:00 New York ... 11:00 LA
OPENS = time(12, 30)
RING_S = 16


class Hangs:
    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("out_of_scope", 0.0)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        return [Hangup(Outcome.HUNG_UP)]


class Timed:
    """The real originator, timed per call (loop seconds from the originate to its end)."""

    def __init__(self, inner: AriOriginator) -> None:
        self.inner = inner
        self.took: dict[str, float] = {}

    async def place(self, request: DialRequest) -> DialResult:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            return await self.inner.place(request)
        finally:
            self.took[request.case_id] = loop.time() - started


def _campaign(sqlite_url: str, keyring: Keyring, tmp_path: Path) -> tuple[Database, str]:
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(40, 5, path, date(2026, 11, 30))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    definition = {
        "filter": {"jurisdictions": ["US"]}, "pacing": "bot", "max_lines": 40,
        "ring_seconds": RING_S, "window": {"start": OPENS.isoformat(), "end": "20:00:00"},
    }  # fmt: skip
    with db.transaction() as s:
        s.add(Campaign(id=cid, name="fields", status="running", created_at=NOW, updated_at=NOW,
                       definition=definition))  # fmt: skip
    return db, cid


async def test_the_campaigns_ring_time_and_window_on_a_real_asterisk(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    db, cid = _campaign(sqlite_url, keyring, tmp_path)
    clock = FixedClock(NOW)
    settings = asterisk.model_copy(update={"app": APP})
    queue = DialQueue(aioredis.Redis(port=REDIS_PORT, decode_responses=True), claim_idle_ms=5000)
    ending = CallEnding(db.async_sessions(), keyring, clock)
    async with AriClient(settings) as ari:

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            return CallSession(
                ari=ari, channel_id=channel.id, conversation=Hangs(),
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(), clock=clock,
                settings=IvrSettings(no_input_s=5.0, max_call_s=30.0), claim=claim,
            )  # fmt: skip

        app = IvrApp(settings, ari, factory, ending.ivr_ended)
        originator = Timed(
            AriOriginator(
                ari, app.watchers, clock, endpoint_for=lambda r: "Local/s@sim-ring/n", app=APP,
                amd="off", amd_context="unused",
            )
        )  # fmt: skip
        worker = CampaignWorker(
            campaign_id=cid, queue=queue, sessions=db.async_sessions(), keyring=keyring,
            clock=clock, originator=originator, settings=DialerSettings(), worker_id="w-fields",
            ivr_capacity=40,
        )  # fmt: skip
        async with asyncio.TaskGroup() as tg:
            ivr = tg.create_task(app.run())
            await asyncio.wait_for(app.ready.wait(), 10)
            await asyncio.wait_for(worker.run(asyncio.Event(), until_idle=True), 120)
            ivr.cancel()

    with db.transaction() as s:
        zones = {
            c: ZoneInfo(tz)
            for c, tz in s.execute(
                select(Case.id, Debtor.timezone)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        }
        rows = {
            a.case_id: a
            for a in s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid))
        }
        waiting = {
            c.id: c.next_action_at for c in s.scalars(select(Case).where(Case.id.in_(list(zones))))
        }
    inside = {c for c, tz in zones.items() if NOW.astimezone(tz).time() >= OPENS}
    outside = set(zones) - inside
    took = sorted(originator.took.values())
    print(f"dialed {len(rows)} (inside {len(inside)}, outside {len(outside)});"
          f" ring-out {took[0]:.1f}-{took[-1]:.1f} s")  # fmt: skip
    assert inside
    assert outside
    assert set(rows) == inside
    assert {a.outcome for a in rows.values()} == {"no_answer"}
    assert all(RING_S <= t < RING_S + 5 for t in took)  # the campaign's ring time, not 25 s
    for case_id in outside:
        tz = zones[case_id]
        at = waiting[case_id]
        assert at is not None
        opening = datetime.combine(NOW.astimezone(tz).date(), OPENS, tzinfo=tz)
        assert at.replace(tzinfo=at.tzinfo or ZoneInfo("UTC")) == opening
