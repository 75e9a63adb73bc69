"""The dialer supervisor: one ``CampaignWorker`` per running campaign, for as long as it runs.

It polls the campaigns table (the API changes a campaign's status; the database is the only
shared truth, so any number of processes run a supervisor each and join the same streams).
A campaign that becomes ``running`` gets a worker; one that leaves ``running`` (paused,
stopped, finished) has its worker asked to stop: the worker takes no new contact and its
calls in progress end normally. A worker that fails is logged and started again on a later
poll, after a back-off.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.logging import get_logger
from data.models import Campaign
from scoring.campaign import CampaignState

log = get_logger(__name__)


class Worker(Protocol):
    async def run(self, stop: asyncio.Event, *, until_idle: bool = False) -> None: ...


WorkerFactory = Callable[[str], Worker]


@dataclass
class _Running:
    task: asyncio.Task[None]
    stop: asyncio.Event


@dataclass
class CampaignSupervisor:
    sessions: async_sessionmaker[AsyncSession]
    make_worker: WorkerFactory
    poll_s: float = 1.0
    restart_after_s: float = 5.0
    running: dict[str, _Running] = field(default_factory=dict)
    failures: dict[str, float] = field(default_factory=dict)  # campaign id -> loop time

    async def run(self, stop: asyncio.Event) -> None:
        """Supervise until ``stop`` is set; then stop every worker and wait for its calls."""
        async with asyncio.TaskGroup() as tg:
            try:
                while not stop.is_set():
                    await self.poll(tg)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.poll_s)
            finally:
                for entry in self.running.values():
                    entry.stop.set()

    async def running_campaigns(self) -> set[str]:
        async with self.sessions() as s:
            ids = await s.scalars(
                select(Campaign.id).where(Campaign.status == CampaignState.RUNNING.value)
            )
            return set(ids)

    async def poll(self, tg: asyncio.TaskGroup) -> None:
        try:
            wanted = await self.running_campaigns()
        except Exception as e:  # a database outage must not end the process
            log.warning("dialer.supervisor_poll_failed", error=repr(e))
            return
        for campaign_id, entry in list(self.running.items()):
            if entry.task.done():
                del self.running[campaign_id]
            elif campaign_id not in wanted and not entry.stop.is_set():
                log.info("dialer.worker_stopping", campaign_id=campaign_id)
                entry.stop.set()
        now = asyncio.get_running_loop().time()
        for campaign_id in sorted(wanted - set(self.running)):
            failed_at = self.failures.get(campaign_id)
            if failed_at is not None and now - failed_at < self.restart_after_s:
                continue
            stop = asyncio.Event()
            task = tg.create_task(self._run_worker(campaign_id, stop), name=f"dial-{campaign_id}")
            self.running[campaign_id] = _Running(task, stop)
            log.info("dialer.worker_started", campaign_id=campaign_id)

    async def _run_worker(self, campaign_id: str, stop: asyncio.Event) -> None:
        try:
            await self.make_worker(campaign_id).run(stop)
        except Exception as e:  # one campaign's failure must not end the others
            log.exception("dialer.worker_failed", campaign_id=campaign_id, error=repr(e))
            self.failures[campaign_id] = asyncio.get_running_loop().time()
        else:
            self.failures.pop(campaign_id, None)
            log.info("dialer.worker_ended", campaign_id=campaign_id)
