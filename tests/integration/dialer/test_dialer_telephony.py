"""The production wiring of a telephony worker (``dialer.wiring.Telephony``, what ``collectbot
serve``/``worker`` run) against real Redis, SQLite and the sandbox Asterisk, with the shipped
speech models: the supervisor picks up the running campaign, the dialer dials every due case
through ``DIALER_ENDPOINT_TEMPLATE``, the IVR starts a real ``PolicyConversation`` from the
case facts it looks up by the call's case id, and ``CallEnding`` records each call once.

The far end (``Local/s@answer-hangup``) answers and hangs up at once, so every call reaches
the IVR and ends as ``hung_up`` without a conversation. Run under the sandbox lock.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from conftest import ensure_service
from dialer_sandbox import asterisk
from sqlalchemy import select
from structlog.testing import capture_logs

from cli.data_commands import write_demo_data
from core.clock import FixedClock
from data.crypto import Keyring
from data.db import Database
from data.models import Campaign, Case, ContactAttempt, Debtor
from data.portfolio.importer import import_portfolio
from data.recordings import RecordingVault, is_sealed
from dialer.settings import DialerSettings
from dialer.wiring import Telephony, load_speech
from ivr.ari import AriClient
from ivr.settings import AriSettings, IvrSettings

__all__ = ["asterisk"]

REDIS_PORT = int(os.environ.get("COLLECTBOT_REDIS_PORT", "56379"))
NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


def _done(db: Database, cid: str) -> list[ContactAttempt]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(ContactAttempt).where(
                    ContactAttempt.campaign_id == cid, ContactAttempt.state == "done"
                )
            )
        )


async def test_telephony_worker_dials_a_running_campaign(
    asterisk: AriSettings, sqlite_url: str, keyring: Keyring, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    db = Database.connect(sqlite_url)
    path = tmp_path / "p.csv"
    write_demo_data(12, 9, path, date(2026, 11, 30))
    clock = FixedClock(NOW)
    import_portfolio(db, keyring, path, clock)
    cid = f"camp-{uuid.uuid4().hex[:8]}"
    with db.transaction() as s:
        s.add(
            Campaign(
                id=cid, name="wiring", status="running", created_at=NOW, updated_at=NOW,
                definition={"filter": {"jurisdiction": "US"}, "pacing": "bot", "max_lines": 4},
            )
        )  # fmt: skip
        us = set(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        )
    assert us
    telephony = Telephony(
        db,
        keyring,
        clock,
        await load_speech(),
        ari_settings=asterisk.model_copy(update={"app": "collectbot-wiring-test"}),
        dialer_settings=DialerSettings(
            redis_url=f"redis://127.0.0.1:{REDIS_PORT}/0",
            endpoint_template="Local/s@answer-hangup/n",
            supervisor_poll_s=0.2,
            worker_id="wiring-test",
        ),
        ivr_settings=IvrSettings(no_input_s=5.0, max_call_s=30.0),
        recordings=RecordingVault(tmp_path / "recordings", keyring),
    )
    halt = asyncio.Event()
    spool = await _spool(asterisk)
    with capture_logs() as logs:
        runner = asyncio.create_task(telephony.run(halt))
        try:
            for _ in range(450):  # polling the database: there is no event to wait for
                if len(_done(db, cid)) >= len(us):
                    break
                await asyncio.sleep(0.2)
        finally:
            halt.set()
            await asyncio.wait_for(runner, 30)
    events = Counter(str(e["event"]) for e in logs)
    print(events)
    failures = [e for e in logs if str(e["event"]).endswith("failed")]
    assert failures == []
    assert events["ivr.call_started"] == len(us)
    assert events["ivr.call_without_facts"] == 0  # every call's case was found by its id
    assert events["call.end_recorded"] == len(us)  # once per call: the IVR's report wrote
    assert events["call.end_already_recorded"] == len(us)  # the dialer's changed nothing
    rows = _done(db, cid)
    print({a.case_id: (a.outcome, a.detail) for a in rows})
    assert {a.case_id for a in rows} == us
    assert len(rows) == len(us)  # nobody dialed twice
    assert all(a.answered_at is not None for a in rows)
    assert all(a.outcome == "hung_up" for a in rows)
    assert all(a.transcript_enc is not None for a in rows)  # the IVR's result was written
    await _recordings_sealed_and_gone_from_asterisk(asterisk, telephony, rows, spool)


async def _recordings_sealed_and_gone_from_asterisk(
    ari_settings: AriSettings, telephony: Telephony, rows: list[ContactAttempt], before: set[str]
) -> None:
    """Each call's recording moved into the vault (a WAV inside) and off the PBX's spool."""
    assert telephony.recordings is not None
    sealed = [a for a in rows if a.recording_ref is not None]
    print(f"{len(sealed)} of {len(rows)} calls recorded")
    assert sealed  # the bridge is recorded once the IVR answers
    for a in sealed:
        assert is_sealed(a.recording_ref), a.recording_ref
        with telephony.recordings.open(str(a.recording_ref), a.id) as reader:
            assert b"".join(reader.read()).startswith(b"RIFF")
    assert await _spool(ari_settings) - before == set()  # no plain copy stays in the spool


async def _spool(ari_settings: AriSettings) -> set[str]:
    async with AriClient(ari_settings) as ari:
        return {r.name for r in await ari.list_stored_recordings()}
