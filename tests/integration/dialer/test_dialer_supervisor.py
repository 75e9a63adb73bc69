"""The dialer supervisor over a real SQLite campaigns table, with recording stand-in workers:
a running campaign gets a worker, pausing it stops that worker, resuming starts a new one,
a failing worker is restarted after the back-off, and stopping the supervisor stops all."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import update

from data.db import Database
from data.models import Campaign
from dialer.supervisor import CampaignSupervisor, Worker

NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)


class FakeWorker:
    def __init__(self, campaign_id: str, log: list[tuple[str, str]], fail: bool) -> None:
        self.campaign_id, self.log, self.fail = campaign_id, log, fail

    async def run(self, stop: asyncio.Event, *, until_idle: bool = False) -> None:
        self.log.append(("start", self.campaign_id))
        if self.fail:
            raise RuntimeError("worker broke")
        await stop.wait()
        self.log.append(("stop", self.campaign_id))


def _add(db: Database, cid: str, status: str) -> None:
    with db.transaction() as s:
        s.add(
            Campaign(id=cid, name=cid, status=status, definition={}, created_at=NOW, updated_at=NOW)
        )


def _set(db: Database, cid: str, status: str) -> None:
    with db.transaction() as s:
        s.execute(update(Campaign).where(Campaign.id == cid).values(status=status))


async def _until(check: Callable[[], bool], within: float = 3.0) -> None:
    for _ in range(int(within / 0.01)):  # polling the fakes' log: there is no event
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached in time")


async def test_supervisor_follows_campaign_states(sqlite_url: str) -> None:
    db = Database.connect(sqlite_url)
    _add(db, "c-run", "running")
    _add(db, "c-draft", "draft")
    _add(db, "c-bad", "running")
    log: list[tuple[str, str]] = []

    def make(cid: str) -> Worker:
        return FakeWorker(cid, log, fail=cid == "c-bad")

    sup = CampaignSupervisor(db.async_sessions(), make, poll_s=0.05, restart_after_s=0.3)
    stop = asyncio.Event()
    task = asyncio.create_task(sup.run(stop))

    await _until(lambda: ("start", "c-run") in log)
    await _until(lambda: log.count(("start", "c-bad")) >= 2)  # restarted after the back-off
    assert ("start", "c-draft") not in log

    _set(db, "c-bad", "stopped")
    _set(db, "c-run", "paused")
    await _until(lambda: ("stop", "c-run") in log)
    bad_starts = log.count(("start", "c-bad"))
    _set(db, "c-run", "running")
    await _until(lambda: log.count(("start", "c-run")) == 2)
    await asyncio.sleep(0.5)
    assert log.count(("start", "c-bad")) == bad_starts  # a stopped campaign is not retried
    assert set(sup.running) == {"c-run"}

    stop.set()
    await asyncio.wait_for(task, 3)
    assert log.count(("stop", "c-run")) == 2
