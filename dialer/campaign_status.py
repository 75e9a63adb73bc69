"""``dialer.campaign_status``: what the metrics' per-campaign gauges show (lines in use, the
dial queue's depth and lag, the abandonment ratio), logged by each worker on a campaign every
``DIALER_STATUS_EVERY_S`` and once more when it leaves (telemetry turns the event into gauges)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from core.logging import get_logger
from data.campaign_store import PacingFigures
from dialer.queue import DialQueue

log = get_logger(__name__)


@dataclass
class CampaignStatus:
    campaign_id: str
    queue: DialQueue
    every_s: float
    reported_at: float | None = None  # loop time of the last report

    async def report(
        self, figures: PacingFigures, lines_in_use: int, *, force: bool = False
    ) -> None:
        """Log the status when ``every_s`` has passed since the last report (or ``force``)."""
        now = asyncio.get_running_loop().time()
        last = self.reported_at
        if not force and last is not None and now - last < self.every_s:
            return
        self.reported_at = now
        depth, lag_s = await self.queue.depth(self.campaign_id)
        log.info(
            "dialer.campaign_status",
            campaign_id=self.campaign_id,
            lines_in_use=lines_in_use,
            queue_depth=depth,
            queue_lag_s=round(lag_s, 3),
            answered=figures.answered,
            abandoned=figures.abandoned,
            abandon_ratio=round(figures.abandon_rate, 4),
        )
